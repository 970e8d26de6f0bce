"""The database's pre-ranking of champions never changes who is suggested.

`ChampionRoster.candidates` lets the database rank by closeness and referrals and returns
only the top few (with ties); `suggest_champions` over them must pick exactly what it picks
over every champion, whatever the roster, the asker and the focus area asked for.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.identity import UserIdentity
from domain.people import ChampionProfile, Unit
from domain.roles import ChampionStatus
from features.enrolment.domain import Candidate, ChampionQuery, suggest_champions
from features.enrolment.storage import ChampionRoster
from features.enrolment.tables import ChampionReferralRecord as Referral
from storage.database import Database
from storage.migrations import upgrade
from storage.repositories import Members

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ACTIVE = ChampionStatus.ACTIVE
DEPARTMENTS = ["Sales", "Finance", "Service"]
OFFICES = ["Milan", "Rome", "Bangkok"]
TEAMS = ["Team A", "Team B"]
FOCUS = ["Sales", "Reporting", "Field Service"]


def seed_roster(database: Database, rng: random.Random) -> list[str]:
    """Champions in every state, and askers who were pointed to some of them; the askers."""

    def work(session) -> list[str]:
        members, roster = Members(session), ChampionRoster(session)
        askers = []
        for index in range(30):
            teams_user_id = f"29:asker-{index}"
            members.record_seen(UserIdentity(teams_user_id, f"Asker {index}"), NOW)
            askers.append(teams_user_id)
        asker_ids = [members.get(asker).id for asker in askers]
        for index in range(60):
            teams_user_id = f"29:champion-{index}"
            members.record_seen(UserIdentity(teams_user_id, f"Champion {rng.randint(0, 20):02d}"), NOW)
            unit = Unit(rng.choice(DEPARTMENTS), rng.choice(OFFICES), rng.choice(TEAMS))
            profile = ChampionProfile(unit, tuple(rng.sample(FOCUS, 2)), ("English",), listed=rng.random() > 0.1)
            status = rng.choice(
                [ChampionStatus.ACTIVE] * 6
                + [ChampionStatus.PAUSED, ChampionStatus.PENDING, ChampionStatus.STEPPED_DOWN]
            )
            champion_id = roster.apply(teams_user_id, profile, status, NOW)
            if status is ChampionStatus.PAUSED:
                until = TODAY + timedelta(days=rng.choice([-1, 0, 3]))
                roster.transition(champion_id, [status], status, NOW, paused_until=until)
            for asker_id in rng.sample(asker_ids, rng.randint(0, 3)):
                roster.record_referrals(asker_id, [champion_id], NOW)
        # Some champions move to another department or team after enrolling: searches follow them.
        champion_ids = [view.id for view in roster._views()]
        for champion_id in rng.sample(champion_ids, 10):
            unit = Unit(rng.choice(DEPARTMENTS), rng.choice(OFFICES), rng.choice(TEAMS))
            roster.update_profile(champion_id, ChampionProfile(unit, (rng.choice(FOCUS),), ("English",)), NOW)
        # Searches that suggest several champions at once, some of them again to the same colleague.
        for asker_id in rng.sample(asker_ids, 10):
            suggested = rng.sample(champion_ids, 3)
            roster.record_referrals(asker_id, suggested, NOW)
            roster.record_referrals(asker_id, [*suggested[1:], rng.choice(champion_ids)], NOW)
        return [*askers, "29:champion-0", "29:champion-1"]  # champions ask too

    return database.transaction(work)


def every_candidate(session, today: date) -> list[Candidate]:
    """The whole roster as candidates, counted the plain way (what ranking used to read)."""
    views = ChampionRoster(session)._views()
    counts = {
        view.id: session.execute(
            select(func.count()).select_from(Referral).where(Referral.champion_id == view.id)
        ).scalar_one()
        for view in views
    }
    return [
        Candidate(
            view.id,
            view.teams_user_id,
            view.display_name,
            view.email,
            view.profile.unit,
            view.profile.focus_areas,
            view.profile.languages,
            counts[view.id],
            view.status,
            view.paused_until,
        )
        for view in views
        if view.profile.listed and view.status in (ChampionStatus.ACTIVE, ChampionStatus.PAUSED)
    ]


@pytest.mark.parametrize("seed", range(4))
def test_the_database_ranks_as_the_domain_does(database_url, seed):
    upgrade(database_url)
    database = Database(database_url)
    try:
        rng = random.Random(seed)
        askers = seed_roster(database, rng)
        for _ in range(40):
            unit = Unit(rng.choice([*DEPARTMENTS, ""]), rng.choice([*OFFICES, ""]), rng.choice([*TEAMS, ""]))
            query = ChampionQuery(rng.choice(askers), unit, rng.choice([*FOCUS, None, None]))

            def both(session, query=query):
                ranked = ChampionRoster(session).candidates(query, TODAY)
                return (
                    suggest_champions(query, ranked, TODAY),
                    suggest_champions(query, every_candidate(session, TODAY), TODAY),
                )

            from_database, from_everyone = database.transaction(both)
            assert [(s.candidate.champion_id, s.candidate.people_pointed) for s in from_database] == [
                (s.candidate.champion_id, s.candidate.people_pointed) for s in from_everyone
            ], query
    finally:
        database.close()


def test_referrals_written_together_count_each_colleague_once_and_skip_the_erased(database_url):
    from features.enrolment.domain import Referral as Pointed
    from features.enrolment.tables import ChampionReferralCountRecord as Count

    upgrade(database_url)
    database = Database(database_url)
    try:

        def seed(session):
            members, roster = Members(session), ChampionRoster(session)
            ids = {}
            for name in ("ann", "bo", "cat", "dee"):
                members.record_seen(UserIdentity(f"29:{name}", name.title()), NOW)
                ids[name] = members.get(f"29:{name}").id
            profile = ChampionProfile(Unit("Sales", "Milan", "Team A"), ("Sales",), ("English",))
            ids["cat"] = roster.apply("29:cat", profile, ACTIVE, NOW)
            ids["dee"] = roster.apply("29:dee", profile, ACTIVE, NOW)
            return ids

        ids = database.transaction(seed)
        ann, bo, cat, dee = ids["ann"], ids["bo"], ids["cat"], ids["dee"]
        gone = max(ids.values()) + 100  # an asker or champion erased since their search
        later = NOW + timedelta(minutes=1)
        batch = [
            Pointed(ann, (cat, dee), NOW),
            Pointed(bo, (cat,), NOW),
            Pointed(ann, (cat,), later),  # Ann again: changes nothing
            Pointed(gone, (cat,), NOW),
            Pointed(bo, (gone,), NOW),
        ]
        database.transaction(lambda s: ChampionRoster(s).record_referrals_of(batch))
        database.transaction(lambda s: ChampionRoster(s).record_referrals_of([Pointed(bo, (cat, dee), later)]))

        def stored(session):
            counts = {row.champion_id: row.people for row in session.execute(select(Count)).scalars()}
            referrals = {
                (r.champion_id, r.asker_member_id, r.first_at) for r in session.execute(select(Referral)).scalars()
            }
            return counts, referrals

        counts, referrals = database.transaction(stored)
        assert counts == {cat: 2, dee: 2}
        assert referrals == {(cat, ann, NOW), (dee, ann, NOW), (cat, bo, NOW), (dee, bo, later)}
    finally:
        database.close()
