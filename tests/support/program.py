"""Arranging a program for end-to-end tests: a directory, champions, delivering the outbox."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.outbox_sender import OutboxSender, SenderLimits
from bot.web import BOT_ENDPOINT
from domain.directory import Employee
from domain.identity import UserIdentity
from domain.outbox import RetryPolicy
from domain.people import ChampionProfile, Unit
from domain.roles import ChampionStatus
from features.enrolment.storage import ChampionRoster
from storage.database import Database
from storage.directory import EmployeeDirectory
from storage.repositories import Members
from tests.support.clock import FakeSleep


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    department: str
    office: str
    team: str
    manager: str | None = None
    timezone: str | None = None

    def employee(self) -> Employee:
        return Employee(
            email=self.email,
            display_name=self.name,
            department=self.department,
            office=self.office,
            team=self.team,
            manager_email=self.manager,
            aad_object_id=None,
            country=None,
            preferred_language=None,
            timezone=self.timezone,
        )


def import_directory(db: Database, people: Sequence[Person], clock) -> None:
    now = clock.now()
    db.transaction(lambda s: EmployeeDirectory(s).apply_import([p.employee() for p in people], now))


def seed_champion(
    db: Database,
    clock,
    teams_user_id: str,
    person: Person,
    focus: Sequence[str] = ("Sales",),
    *,
    status: ChampionStatus = ChampionStatus.ACTIVE,
    people_pointed: int = 0,
) -> int:
    """A champion who enrolled earlier (a member with an email, approved)."""
    now = clock.now()

    def work(session) -> int:
        members = Members(session)
        members.record_seen(UserIdentity(teams_user_id, person.name), now)
        members.save_profile(teams_user_id, person.email, person.email, now)
        profile = ChampionProfile(
            Unit(person.department, person.office, person.team), tuple(focus), ("English",), listed=True
        )
        roster = ChampionRoster(session)
        champion_id = roster.apply(teams_user_id, profile, status, now)
        for asker in range(people_pointed):
            # Colleagues pointed to this champion before: one referral each.
            asker_id = f"{teams_user_id}-asker-{asker}"
            members.record_seen(UserIdentity(asker_id, f"Asker {asker}"), now)
            asker_member = members.get(asker_id)
            assert asker_member is not None and asker_member.id is not None
            roster.record_referrals(asker_member.id, [champion_id], now)
        return champion_id

    return db.transaction(work)


async def deliver_outbox(harness, db: Database) -> None:
    """Run the real outbox sender once against the fake connector (fake sleeps, frozen clock)."""
    sleep = FakeSleep(harness.clock)
    harness.connector.clock = sleep.seconds
    endpoint = harness.client.app[BOT_ENDPOINT]
    sender = OutboxSender(
        db,
        endpoint.adapter,
        endpoint.authentication,
        "",
        harness.clock,
        sleep=sleep,
        limits=SenderLimits(requests_per_second=50, concurrency=4, batch_size=50),
        retry=RetryPolicy(max_attempts=3, rng=random.Random(3)),
    )
    await sender.drain()


async def people_in_chat(harness, db: Database, clock, people: dict) -> None:
    """The directory holds `people` ({TeamsUser: Person}), and each has said hello to the bot
    in their personal chat (so the bot knows them and can write to them)."""
    import_directory(db, list(people.values()), clock)
    for user, person in people.items():
        harness.connector.add_member(user.teams_user_id, email=person.email, name=person.name)
        await harness.send(harness.activities.message(user, "help"))
