"""Action clues verified in Dynamics 365: through /api/messages, against a local fake Dataverse
Web API and Entra sign-in served over HTTPS, with throttling answered as the real service does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from features.hunts.checks import checks_settled
from features.hunts.domain import ActionCheck
from features.hunts.verifier import DataverseVerifier, Outcome, Solver, VerifierSettings
from tests.features.hunts.test_hunts import PEOPLE, RITA, STARTS, tick
from tests.support.activities import LEAD
from tests.support.cards import assert_valid_card, card_texts
from tests.support.chat import invoke, say
from tests.support.clock import FrozenClock
from tests.support.dataverse import CLIENT_ID, CLIENT_SECRET, TENANT, FakeDataverse
from tests.support.program import deliver_outbox, people_in_chat
from tests.support.tls import self_signed

RITA_USER = "11111111-1111-1111-1111-111111111111"
PAOLO_USER = "22222222-2222-2222-2222-222222222222"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 12, 2, 9, tzinfo=UTC))


@pytest.fixture
async def dataverse(aiohttp_server, tmp_path, monkeypatch) -> FakeDataverse:
    certificate, context = self_signed(tmp_path)
    fake = FakeDataverse()
    server = await aiohttp_server(fake.app(), ssl=context)
    fake.base_url = str(server.make_url("")).rstrip("/")
    for name, value in {
        "DATAVERSE_URL": fake.base_url,
        "DATAVERSE_TENANT_ID": TENANT,
        "DATAVERSE_CLIENT_ID": CLIENT_ID,
        "DATAVERSE_CLIENT_SECRET": CLIENT_SECRET,
        "DATAVERSE_AUTHORITY_HOST": fake.base_url,
        "DATAVERSE_CA_BUNDLE": str(certificate),
    }.items():
        monkeypatch.setenv(name, value)
    fake.add_user(RITA_USER, RITA.aad_object_id, "rita@contoso.example")
    fake.add_user(PAOLO_USER, "eeeeeeee-0000-0000-0000-000000000014", "paolo@contoso.example")
    return fake


@pytest.fixture
async def sprint(harness_factory, db, clock, dataverse):
    """The data-quality sprint, created (a verifier is configured), scheduled and opened."""
    harness = await harness_factory(DEFAULT_TIMEZONE="Europe/Rome")
    await people_in_chat(harness, db, clock, PEOPLE)
    harness.connector.clear()
    await say(harness, LEAD, "new hunt data-quality-sprint")
    [card] = [card for item in harness.connector.sent_to(LEAD.personal_conversation_id) for card in item.cards]
    [schedule] = card["actions"]
    window = {"start_date": "2026-12-07", "start_time": "09:00", "end_date": "2026-12-12", "end_time": "09:00"}
    await invoke(harness, LEAD, schedule["verb"], {**schedule["data"], **window})
    await tick(harness, db, clock, STARTS)
    return harness


async def check(harness, db, clue: str) -> tuple[list[str], list[str]]:
    """Press "Check it": (the card's texts at once, the message that follows)."""
    harness.clock.advance(timedelta(seconds=13))
    reply = await invoke(harness, RITA, "hunts.check", {"clue": clue})
    assert_valid_card(reply["value"])
    await checks_settled()
    harness.connector.clear()
    await deliver_outbox(harness, db)
    return card_texts(reply["value"]), [
        item.text or "" for item in harness.connector.sent_to(RITA.personal_conversation_id)
    ]


def code_word(harness) -> str:
    texts = card_texts(harness.connector.sent_to(RITA.personal_conversation_id)[-1].cards[0])
    return texts[texts.index("Parola in codice") + 1]


async def test_an_action_clue_is_solved_only_by_the_solver_s_own_record_within_the_clue_s_window(sprint, db, dataverse):
    harness = sprint
    await say(harness, RITA, "caccia")
    code = code_word(harness)
    texts = card_texts(harness.connector.sent_to(RITA.personal_conversation_id)[-1].cards[0])
    escaped = code.replace("-", "\\-")  # as the card's markdown shows it
    assert f"Registra una telefonata su uno dei tuoi account, con {escaped} nell'oggetto\\." in texts

    shown, said = await check(harness, db, "call")
    assert "Sto verificando in Dynamics 365… Ti scrivo il risultato." in shown, "the turn answers at once"
    assert said[0].startswith("Non lo trovo ancora in Dynamics 365"), "nothing logged yet"

    opened = STARTS.strftime("%Y-%m-%dT%H:%M:%SZ")
    dataverse.add("phonecalls", subject=f"Call {code}", _createdby_value=PAOLO_USER, createdon="2026-12-07T10:00:00Z")
    dataverse.add("phonecalls", subject=f"Call {code}", _createdby_value=RITA_USER, createdon="2026-12-06T10:00:00Z")
    dataverse.add("phonecalls", subject="Call without the word", _createdby_value=RITA_USER, createdon=opened)
    _, said = await check(harness, db, "call")
    assert said[0].startswith("Non lo trovo ancora"), "someone else's call, one before the clue opened, no code word"

    logged = (STARTS + timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    dataverse.add("phonecalls", subject=f"Follow-up {code.lower()}", _createdby_value=RITA_USER, createdon=logged)
    dataverse.throttle(2, retry_after="0")  # service protection limits: the verifier waits and retries
    _, said = await check(harness, db, "call")
    assert said == ["Verificato in Dynamics 365: Registra una chiamata. Risolto! La tua squadra guadagna 150 punti."]
    assert dataverse.tokens_issued == 1, "one token for every query"
    assert all("_createdby_value%20eq%2011111111" in path for path in dataverse.requests if "phonecalls" in path)

    again, _ = await check(harness, db, "call")
    assert "La tua squadra ha già risolto questo indizio." in again


async def test_without_a_verifier_an_action_template_is_refused_and_says_why(harness, db, monkeypatch):
    monkeypatch.delenv("DATAVERSE_URL", raising=False)
    texts = await say(harness, LEAD, "new hunt data-quality-sprint")
    assert texts[0].startswith("Data-quality sprint has action clues, which I check in Dynamics 365")


async def test_the_verifier_honours_retry_after_and_gives_up_at_its_deadline(dataverse):
    slept: list[float] = []
    now = [0.0]

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    settings = VerifierSettings(DATAVERSE_DEADLINE_SECONDS=30)
    verifier = DataverseVerifier(settings, sleep=sleep, monotonic=lambda: now[0])
    action = ActionCheck("accounts", "industrycode ne null", "modifiedby", 3)
    since, until = datetime(2026, 12, 7, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)
    for number in range(3):
        dataverse.add(
            "accounts", industrycode=7, _modifiedby_value=RITA_USER, modifiedon=f"2026-12-07T1{number}:00:00Z"
        )
    solver = Solver(RITA.aad_object_id, None)

    dataverse.throttle(2, retry_after="7")
    assert (await verifier.verify(action, "FALCO-12", solver, since, until)).outcome is Outcome.DONE
    assert slept == [7.0, 7.0], "as long as the service asked"

    dataverse.throttle(5, retry_after="20")
    verified = await verifier.verify(action, "FALCO-12", solver, since, until)
    assert verified.outcome is Outcome.ERROR and "429" in verified.error, "past its deadline: an error for leads"
    assert len(dataverse.refusals) == 3, "it stopped asking once the next wait would pass the deadline"
    dataverse.refusals.clear()
    assert (
        await verifier.verify(action, "FALCO-12", Solver("nobody", None), since, until)
    ).outcome is Outcome.UNKNOWN_USER


async def test_when_dynamics_cannot_be_asked_the_player_hears_a_retry_and_the_leads_hear_the_error(
    sprint, db, dataverse, clock, monkeypatch
):
    harness = sprint
    monkeypatch.setenv("DATAVERSE_DEADLINE_SECONDS", "0.5")  # a 503 asks for a wait longer than this
    dataverse.refusals.extend([(503, None)] * 10)

    _, said = await check(harness, db, "call")
    assert said == ["Dynamics 365 non ha risposto proprio ora per Registra una chiamata: riprovo tra qualche minuto."]
    for minutes in (2, 4):
        clock.advance(timedelta(minutes=minutes))
        await tick(harness, db, clock, clock.now())
    harness.connector.clear()
    await deliver_outbox(harness, db)
    to_rita = [item.text for item in harness.connector.sent_to(RITA.personal_conversation_id)]
    assert to_rita == [
        "Non sono riuscito a verificare Registra una chiamata in Dynamics 365. "
        "I responsabili del programma lo sanno; riprova più tardi."
    ], "no error details for players"
    [to_lead] = [item.text for item in harness.connector.sent_to(LEAD.personal_conversation_id)]
    assert to_lead.startswith("A hunt check of Log a call failed after several tries: Dataverse answered 503")
