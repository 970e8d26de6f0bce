"""Property-based fuzzing of /api/messages: whatever arrives, the bot answers 2xx or 4xx and logs no traceback.

Hypothesis generates requests from raw bytes up to Teams-shaped activities with every field
the bot reads varied (types, commands, mentions, channel data, members, card actions,
invokes, tenants, ids, names, locales), with content types and encodings, and sends them to
the real app, in anonymous mode and with an app id (tokens valid and crafted, signed by a
local OpenID server's key). The only 5xx allowed is the SDK's 501 for an invoke name the bot
does not handle. `FUZZ_EXAMPLES` changes how many requests each mode sends (default: 4,000 anonymous and 1,500
with an app id on SQLite; 3,000 and 1,500 on PostgreSQL: 10,000 a CI run, split so that the two
runs, side by side, take about as long).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.identity import UserIdentity
from storage.repositories import Members
from tests.support.activities import ALICE, BOB, LEAD, TENANT
from tests.support.openid import FakeOpenId

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
# 10,000 requests every CI run, split between the SQLite and PostgreSQL runs, which go side by
# side and take about as long as each other.
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
ANONYMOUS_EXAMPLES = EXAMPLES or (3000 if ON_POSTGRES else 4000)
APP_ID_EXAMPLES = EXAMPLES or 1500
APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
USERS = [BOB, ALICE, LEAD]
COMMANDS = [
    "help", "cancel", "status", "who is my champion", "who can help me with Reporting", "join",
    "my profile", "edit profile", "pause", "resume", "step down", "nominate Rita", "approvals",
    "coverage", "set target office Milan 3", "settings", "use this channel", "leads",
    "add lead x@contoso.example", "remove lead x@contoso.example", "check in", "skip on holiday",
    "snooze", "my check-ins", "check-in settings", "check-in questions", "results", "feedback new",
    "share a story", "stories", "kudos Rita for help", "leaderboard quarter", "my points",
    "award Rita 5 for x", "revoke Rita 5 for x", "recognition settings", "recent kudos",
    "post stories here", "aiuto", "ช่วยเหลือ", "yes", "1", "digest", "sponsor digest", "sponsors",
    "add sponsor x@contoso.example", "ask sponsors ok?", "ask How do I convert a lead?", "questions",
    "service desk https://it.example", "announce", "announce launch", "announcements", "new event", "events",
    "office hours Tuesdays 14:00-15:00", "training", "my checklist", "new training", "training progress",
    "new season 2027-Q1", "seasons", "leaderboard season 2027-Q1",
]  # fmt: skip
VERBS = [
    "command", "champion.approve", "champion.decline", "nomination.approve", "nomination.decline",
    "program.settings.save", "checkin.submit", "checkin.skip", "checkin.snooze", "checkins.cadence.save",
    "checkins.questions.save", "feedback.update", "story.publish", "story.reject", "story.month", "story.applaud",
    "recognition.settings.save", "digests.snooze", "digests.schedule", "digests.thank", "digests.decide",
    "questions.business", "questions.technical", "questions.answer", "questions.pass", "questions.leads",
    "questions.rate", "announcements.preview", "announcements.send", "announcements.ack", "events.create",
    "events.respond", "events.attendees", "training.save", "training.tick", "no.such.verb",
]  # fmt: skip
INVOKE_NAMES = [
    "adaptiveCard/action",
    "fileConsent/invoke",
    "composeExtension/query",
    "task/fetch",
    "signin/verifyState",
]

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False), st.text()
)
json_value = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], times: int = 20) -> st.SearchStrategy[Any]:
    """`usual` about `times` times as often as `odd`: most requests reach the bot, the rest probe the edge."""
    # one_of would merge the repeated branch; sampling the strategy itself keeps the odds.
    return st.sampled_from([*([usual] * times), odd]).flatmap(lambda chosen: chosen)


text = st.one_of(st.sampled_from(COMMANDS), st.text(max_size=40), st.just("\udfff help"))
record_ids = st.one_of(st.integers(min_value=-2, max_value=5), st.just(2**64), st.text(max_size=4), st.none())


def accounts(user_ids: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    account = st.fixed_dictionaries(
        {"id": user_ids},
        optional={"name": st.text(max_size=30) | st.just("N" * 300), "aadObjectId": st.text(max_size=70)},
    )
    return mostly(account, json_value)


def card_data() -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {},
        optional={
            "command": st.sampled_from(["help", "join", "approvals", "leaderboard"]) | st.text(max_size=6),
            "champion_id": record_ids,
            "nomination_id": record_ids,
            "story_id": record_ids,
            "item_id": record_ids,
            "assignment_id": record_ids,
            "reason": st.text(max_size=20),
            "form": st.text(max_size=6),
            "answer": json_value,
        },
    )


def invoke_values() -> st.SearchStrategy[Any]:
    action = st.fixed_dictionaries(
        {"type": st.sampled_from(["Action.Execute", "Action.Submit"]) | st.text(max_size=5)},
        optional={"verb": st.sampled_from(VERBS) | json_value, "data": card_data() | json_value},
    )
    return st.one_of(st.fixed_dictionaries({"action": action}), json_value)


# Mostly the characters Teams ids use; sometimes any printable ASCII, which the edge must refuse.
ascii_ids = mostly(
    st.text(alphabet="abcdefXYZ0123456789:@;=._-|", min_size=1, max_size=12),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12),
    4,
)


def activities(service_url: str) -> st.SearchStrategy[dict[str, Any]]:
    user_ids = mostly(st.sampled_from([user.teams_user_id for user in USERS]) | ascii_ids, st.text(max_size=12), 8)
    conversation = st.fixed_dictionaries(
        {
            "id": mostly(
                st.sampled_from(["a:personal-29:bob", "19:team@thread.tacv2;messageid=1"]) | ascii_ids,
                st.text(max_size=8),
            )
        },
        optional={
            "tenantId": mostly(st.just(TENANT), st.text(max_size=70)),
            "conversationType": mostly(st.sampled_from(["personal", "channel", "groupChat"]), st.text(max_size=5)),
            "name": st.text(max_size=10),
        },
    )
    mention = st.fixed_dictionaries(
        {"type": st.just("mention")},
        optional={"mentioned": accounts(user_ids), "text": st.text(max_size=10)},
    )
    channel_data = st.fixed_dictionaries(
        {},
        optional={
            "tenant": mostly(st.fixed_dictionaries({"id": mostly(st.just(TENANT), st.text(max_size=70))}), json_value),
            "team": mostly(
                st.fixed_dictionaries({"id": ascii_ids}, optional={"name": st.text(max_size=8)}), json_value
            ),
            "channel": json_value,
        },
    )
    return st.fixed_dictionaries(
        {
            "type": mostly(
                st.sampled_from(
                    ["message", "message", "message", "invoke", "conversationUpdate", "installationUpdate", "event"]
                ),
                json_value,
            ),
            "id": mostly(ascii_ids, st.just("i" * 300) | st.text(max_size=8) | json_value),
            "serviceUrl": mostly(
                st.just(service_url),
                st.sampled_from(["https://smba.example/", "http://0.0.0.0:1\\@127.0.0.1:1/", "ftp://x"]) | json_value,
            ),
            "channelId": mostly(st.just("msteams"), json_value),
            "from": accounts(user_ids),
            "recipient": accounts(st.just("28:champion-circle-bot")),
            "conversation": mostly(conversation, json_value),
        },
        optional={
            "text": text,
            "locale": mostly(st.sampled_from(["en-US", "it-IT", "th-TH", "xx"]), json_value),
            "name": mostly(st.sampled_from([*INVOKE_NAMES, "ContinueConversation"]), json_value),
            "value": invoke_values(),
            "entities": mostly(st.lists(mostly(mention, json_value, 3), max_size=3), json_value),
            "membersAdded": mostly(st.lists(accounts(user_ids), max_size=2), json_value),
            "membersRemoved": st.lists(accounts(user_ids), max_size=2),
            "channelData": mostly(channel_data, json_value),
            "deliveryMode": mostly(st.sampled_from(["normal", "expectReplies"]), json_value),
            "action": st.sampled_from(["add", "remove"]),
        },
    )


def bodies(service_url: str) -> st.SearchStrategy[dict[str, Any] | bytes]:
    odd = st.one_of(
        st.binary(max_size=64),
        json_value.map(lambda value: json.dumps(value).encode()),
        st.integers(min_value=1, max_value=3000).map(lambda depth: b'{"type":"message","v":' + b"[" * depth),
    )
    return mostly(activities(service_url), odd, 4)


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
headers = mostly(
    st.fixed_dictionaries({"Content-Type": st.sampled_from(["application/json", "application/json; charset=utf-8"])}),
    st.fixed_dictionaries(
        {"Content-Type": header_text}, optional={"Content-Encoding": st.sampled_from(["gzip", "identity", "br", "x"])}
    ),
    8,
)


_sequence = itertools.count()


def fresh(activity: dict[str, Any]) -> dict[str, Any]:
    """A new activity id each time: a replay must not be dropped as Teams' re-delivery (the bot de-duplicates)."""
    if isinstance(activity.get("id"), str) and len(activity["id"]) < 200:
        activity["id"] = f"{activity['id']}-{next(_sequence)}"
    return activity


def encode(activity: dict[str, Any]) -> bytes:
    return json.dumps(activity).encode("utf-8", "surrogatepass")


class Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.format(record)  # keeps the traceback text for the report
            self.records.append(record)


@pytest.fixture
def tracebacks():
    handler = Tracebacks()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def allowed(status: int, request_headers: dict[str, str], body: bytes) -> bool:
    if status < 500:
        return True
    # The SDK answers 501 to invoke names it has no handler for; that is not a failure.
    return status == 501 and b'"invoke"' in body


FUZZ = settings(
    max_examples=ANONYMOUS_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


async def run_in_worker(examples: Callable[[], None]) -> None:
    """Hypothesis drives examples synchronously: run it in a thread while this loop serves the app."""
    await asyncio.get_running_loop().run_in_executor(None, examples)


def poster(harness) -> Callable[[bytes, dict[str, str]], int]:
    """A blocking POST for the worker thread, carried out on the test's event loop."""
    loop = asyncio.get_running_loop()

    async def post(body: bytes, request_headers: dict[str, str]) -> int:
        response = await harness.client.post("/api/messages", data=body, headers=request_headers)
        await response.read()
        return response.status

    def send(body: bytes, request_headers: dict[str, str]) -> int:
        return asyncio.run_coroutine_threadsafe(post(body, request_headers), loop).result(timeout=60)

    return send


async def test_anonymous_mode_answers_every_request_without_a_5xx_or_a_traceback(harness, tracebacks):
    statuses: Counter[int] = Counter()
    url = harness.activities.service_url
    post = poster(harness)

    @FUZZ
    @given(body=bodies(url), request_headers=headers)
    def send(body: dict[str, Any] | bytes, request_headers: dict[str, str]) -> None:
        if isinstance(body, dict):
            body = encode(fresh(body))
        tracebacks.records.clear()
        status = post(body, request_headers)
        statuses[status] += 1
        assert allowed(status, request_headers, body), (status, body[:300])
        assert tracebacks.records == [], [(record.getMessage(), record.exc_text) for record in tracebacks.records]

    await run_in_worker(send)
    print(f"\nanonymous fuzz: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert statuses[200] > 100 and statuses[400] > 100, "the strategies reach the bot and the edge alike"


async def test_with_an_app_id_every_request_is_answered_without_a_5xx_or_a_traceback(
    harness_factory, openid: FakeOpenId, db, clock, tracebacks
):
    harness = await harness_factory(
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="secret",
        MicrosoftAppTenantId=TENANT,
        BOT_OPENID_METADATA_URL=openid.metadata_url,
    )
    now = clock.now()

    def known_users(session) -> None:
        # Known profiles: the bot needs no roster lookup (an outbound call) to serve them.
        for user in USERS:
            Members(session).record_seen(UserIdentity(user.teams_user_id, user.name), now)
            Members(session).save_profile(user.teams_user_id, f"{user.name[:3]}@contoso.example", None, now)

    db.transaction(known_users)
    url = harness.activities.service_url
    statuses: Counter[int] = Counter()
    tokens = st.sampled_from(["valid", "valid", "other app", "no kid", "garbage", "none", "basic"])

    def authorization(kind: str, body: bytes) -> dict[str, str]:
        try:
            service_url = json.loads(body).get("serviceUrl")
        except (ValueError, AttributeError):
            service_url = None
        claim = service_url if isinstance(service_url, str) else url
        token = {
            "valid": lambda: openid.token(APP_ID, claim),
            "other app": lambda: openid.token("another-app", claim),
            "no kid": lambda: openid.token(APP_ID, claim, headers={"kid": None}),
            "garbage": lambda: "x.y.z",
        }.get(kind)
        if kind == "basic":
            return {"Authorization": "Basic Zm9vOmJhcg=="}
        return {"Authorization": f"Bearer {token()}"} if token else {}

    post = poster(harness)

    @settings(FUZZ, max_examples=APP_ID_EXAMPLES)
    @given(activity=activities(url), request_headers=headers, kind=tokens)
    def send(activity: dict[str, Any], request_headers: dict[str, str], kind: str) -> None:
        # Replies ride in the HTTP answer: with an app id a send would need an Entra token.
        if isinstance(activity.get("type"), str):
            activity["deliveryMode"] = "expectReplies"
        body = encode(fresh(activity))
        tracebacks.records.clear()
        status = post(body, {**request_headers, **authorization(kind, body)})
        statuses[status] += 1
        assert allowed(status, request_headers, body), (status, body[:300])
        assert tracebacks.records == [], [(record.getMessage(), record.exc_text) for record in tracebacks.records]

    await run_in_worker(send)
    print(f"\napp id fuzz: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert statuses[200] > 50 and statuses[401] > 50
