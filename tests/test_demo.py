"""`python app.py demo`: a sample program in minutes, and never in a real deployment."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import load_demo, main
from tests.support.activities import TeamsUser
from tests.support.program import Person, import_directory


def test_the_demo_loads_into_a_local_sqlite_database_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("MicrosoftAppId", "")
    assert main(["demo"]) == 0
    assert "13 people" in capsys.readouterr().out
    assert main(["demo"]) == 0, "running it again changes nothing"
    assert "0 sample rows" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgresql+psycopg://champion:secret@db.contoso.example:5432/champions"),
        ("MicrosoftAppId", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
    ],
)
def test_the_demo_refuses_anything_but_a_local_bot(tmp_path, monkeypatch, capsys, variable, value):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("MicrosoftAppId", "")
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("MicrosoftAppPassword", "x")
    monkeypatch.setenv("MicrosoftAppTenantId", "11111111-2222-3333-4444-555555555555")
    assert main(["demo"]) == 2
    assert "nothing loaded" in capsys.readouterr().err
    assert not (tmp_path / "demo.db").exists()


async def test_the_demo_leaves_a_real_directory_alone_and_otherwise_shows_the_whole_program(harness, db, clock):
    import_directory(db, [Person("real.person@contoso.example", "Real Person", "Ops", "Oslo", "Core")], clock)
    assert db.transaction(lambda session: load_demo(session, clock.now())) is None

    db.transaction(lambda session: session.execute(text("DELETE FROM employee")))
    people, samples = db.transaction(lambda session: load_demo(session, clock.now()))
    assert (people, samples) == (13, 4)

    alex = TeamsUser("29:alex", "Alex Wilber", "aaaaaaaa-0000-0000-0000-00000000a1e5")
    harness.connector.add_member(alex.teams_user_id, email="alexw@example.com", name="Alex Wilber")
    await harness.send(harness.activities.message(alex, "who is my champion"))
    [reply] = harness.connector.sent_to(alex.personal_conversation_id)
    assert reply.cards[0]["body"][0]["text"] == "Tina Rossi", "the employee's side, with champions present"
