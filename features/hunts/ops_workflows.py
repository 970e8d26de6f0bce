"""What leads do to a hunt beyond creating it: say how its teams are formed, see it as a team
will, rehearse it with champions, announce it, pause, resume and extend it, and take it away
as a hunt file or bring one in."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToConversation
from features.hunts.domain import (
    ClueEdit,
    Dealt,
    Hunt,
    HuntPlan,
    HuntStatus,
    PlanError,
    TeamPlan,
    TeamsBy,
    code_word,
    deal,
    edit_clue,
    form_teams,
    group_problem,
    localized,
)
from features.hunts.plans import plan_from_data, plan_to_data
from features.hunts.storage import Hunts, champion_units, units_with_headcount
from features.hunts.views import announce_card
from features.hunts.workflows import CreateOutcome, create_from_plan, open_hunt
from storage.audit import AuditTrail
from storage.links import file_link
from storage.messaging import Messaging
from storage.program import ProgramConfig

# A hunt runs at most this long, however often it is extended.
LONGEST_HUNT = timedelta(days=60)


class RunOutcome(StrEnum):
    PAUSED = "paused_now"
    RESUMED = "resumed"
    EXTENDED = "extended"
    NO_HUNT = "no_hunt_to_run"  # nothing scheduled, running or paused
    NOT_RUNNING = "not_running"  # pausing a hunt that is not running
    NOT_PAUSED = "not_paused"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class Ran:
    outcome: RunOutcome
    hunt: Hunt | None = None
    ends_at: datetime | None = None


def _current(hunts: Hunts) -> Hunt | None:
    return hunts.latest([HuntStatus.RUNNING, HuntStatus.PAUSED]) or hunts.latest([HuntStatus.SCHEDULED])


def pause_hunt(session: Session, messaging: Messaging, by: str, now: datetime) -> Ran:
    """Stop play for a while (a broken clue, an outage): answers, hints and checks wait."""
    hunts = Hunts(session)
    hunt = _current(hunts)
    if hunt is None:
        return Ran(RunOutcome.NO_HUNT)
    if hunt.status is not HuntStatus.RUNNING or not hunts.pause(hunt.id, now):
        return Ran(RunOutcome.NOT_RUNNING, hunt)
    AuditTrail(session).record(by, "hunt.pause", hunt.title, now)
    _tell_channel(
        session,
        messaging,
        hunt,
        f"hunt:{hunt.id}:paused:{now.isoformat()}",
        now,
        lambda t: t("hunt.channel_paused", title=_title(hunt, t)),
    )
    return Ran(RunOutcome.PAUSED, hunt, hunt.ends_at)


def resume_hunt(session: Session, messaging: Messaging, by: str, now: datetime) -> Ran:
    """Play again; the end moves by as long as the hunt was paused, so no team loses time."""
    hunts = Hunts(session)
    hunt = _current(hunts)
    if hunt is None:
        return Ran(RunOutcome.NO_HUNT)
    if hunt.status is not HuntStatus.PAUSED or hunt.paused_at is None or hunt.ends_at is None:
        return Ran(RunOutcome.NOT_PAUSED, hunt)
    ends_at = hunt.ends_at + (now - hunt.paused_at)
    if not hunts.resume(hunt.id, ends_at, now):
        return Ran(RunOutcome.NOT_PAUSED, hunt)
    AuditTrail(session).record(
        by, "hunt.resume", hunt.title, now, before={"ends_at": hunt.ends_at}, after={"ends_at": ends_at}
    )
    _tell_channel(
        session,
        messaging,
        hunt,
        f"hunt:{hunt.id}:resumed:{now.isoformat()}",
        now,
        lambda t: t("hunt.channel_resumed", title=_title(hunt, t), when=ends_at),
    )
    return Ran(RunOutcome.RESUMED, hunt, ends_at)


def extend_hunt(session: Session, messaging: Messaging, by: str, more: timedelta, now: datetime) -> Ran:
    """Give a scheduled, running or paused hunt more time (up to LONGEST_HUNT in all)."""
    hunts = Hunts(session)
    hunt = _current(hunts)
    if hunt is None or hunt.starts_at is None or hunt.ends_at is None:
        return Ran(RunOutcome.NO_HUNT)
    ends_at = hunt.ends_at + more
    if ends_at - hunt.starts_at > LONGEST_HUNT:
        return Ran(RunOutcome.TOO_LONG, hunt, hunt.ends_at)
    if not hunts.extend(hunt.id, ends_at, now):
        return Ran(RunOutcome.NO_HUNT)
    AuditTrail(session).record(
        by, "hunt.extend", hunt.title, now, before={"ends_at": hunt.ends_at}, after={"ends_at": ends_at}
    )
    if hunt.status is not HuntStatus.SCHEDULED:
        _tell_channel(
            session,
            messaging,
            hunt,
            f"hunt:{hunt.id}:extended:{ends_at.isoformat()}",
            now,
            lambda t: t("hunt.channel_extended", title=_title(hunt, t), when=ends_at),
        )
    return Ran(RunOutcome.EXTENDED, hunt, ends_at)


def _title(hunt: Hunt, t: Texts) -> str:
    return localized(hunt.plan.title, t.locale)


def _tell_channel(
    session: Session, messaging: Messaging, hunt: Hunt, key: str, now: datetime, build: Callable[[Texts], str]
) -> None:
    """Say it where the hunt was announced: the champions' channel, in the program's language."""
    channel = ProgramConfig(session).load().champions_channel_id
    if channel:
        text = build(messaging.texts_for(None))
        messaging.send(session, OutboundMessage(key, ToConversation(channel), MessagePayload(text)), now)


# --- hunt files: a hunt exported for next quarter, and a lead's file imported --------------------

HUNT_FILES = "hunt-file"  # the kind of file links to hunt files
FILE_LINK_MINUTES = 10
MAX_HUNT_FILE_BYTES = 512 * 1024


def hunt_file_link(session: Session, origin: str, now: datetime) -> tuple[Hunt, str] | None:
    """The newest hunt and a link, for `FILE_LINK_MINUTES`, to it as a hunt file."""
    hunt = Hunts(session).newest()
    if hunt is None:
        return None
    expires = now + timedelta(minutes=FILE_LINK_MINUTES)
    return hunt, file_link(session, origin, HUNT_FILES, hunt.id, expires, now)


class ImportOutcome(StrEnum):
    CREATED = "imported"
    NOT_JSON = "file_not_json"
    INVALID = "file_invalid"
    NEEDS_VERIFIER = "file_needs_verifier"


@dataclass(frozen=True, slots=True)
class Imported:
    outcome: ImportOutcome
    hunt_id: int | None = None
    plan: HuntPlan | None = None
    problem: str = ""  # where the file is wrong, and why


def import_hunt(session: Session, body: bytes, name: str, by: str, now: datetime, *, verifier: bool) -> Imported:
    """A draft hunt from a lead's hunt file, checked against the schema and the plan's rules."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return Imported(ImportOutcome.NOT_JSON)
    try:
        plan = plan_from_data(data)
    except PlanError as error:
        return Imported(ImportOutcome.INVALID, problem=str(error)[:300])
    created = create_from_plan(session, plan, by, now, verifier=verifier, source={"file": name[:200]})
    if created.outcome is CreateOutcome.NEEDS_VERIFIER:
        return Imported(ImportOutcome.NEEDS_VERIFIER, plan=plan)
    return Imported(ImportOutcome.CREATED, created.hunt_id, plan)


# --- preview: the hunt as one team gets it ---------------------------------------------------------


class PreviewOutcome(StrEnum):
    SHOWN = "shown"
    NO_HUNT = "no_hunt_to_preview"
    NO_SUCH_TEAM = "no_such_team_to_preview"


@dataclass(frozen=True, slots=True)
class Preview:
    outcome: PreviewOutcome
    hunt: Hunt | None = None
    team: str = ""
    code_word: str = ""
    dealt: tuple[Dealt, ...] = ()
    teams: tuple[str, ...] = ()  # who could be previewed, when the name matched none


def preview_of(session: Session, team_name: str) -> Preview:
    """Every clue of the hunt (not yet closed) as one team gets it: its variants, its order,
    its code word, with the answers, for a lead to check before and during the hunt."""
    hunts = Hunts(session)
    hunt = _current(hunts) or hunts.latest([HuntStatus.DRAFT])
    if hunt is None:
        return Preview(PreviewOutcome.NO_HUNT)
    playing = hunts.teams(hunt.id)
    planned = form_teams(units_with_headcount(session, hunt.teams_by), hunt.team_groups)
    names = [team.name for team in playing] or [team.name for team in planned]
    wanted = " ".join(team_name.split()).casefold()
    name = next((name for name in names if name.casefold() == wanted), None)
    if name is None:
        return Preview(PreviewOutcome.NO_SUCH_TEAM, hunt, teams=tuple(names))
    team = next((team for team in playing if team.name == name), None)
    code = team.code_word if team is not None else code_word(hunt.salt, name)
    return Preview(PreviewOutcome.SHOWN, hunt, name, code, tuple(deal(hunt.plan, hunt.salt, name)))


# --- announcing: the hunt in the channels, before it starts or while it runs -----------------------


class AnnounceOutcome(StrEnum):
    ANNOUNCED = "announced"
    ALREADY = "already_announced"  # in that channel, for this hunt
    NOT_SCHEDULED = "announce_not_scheduled"
    NO_CHANNEL = "announce_no_channel"


def announce_hunt(
    session: Session, messaging: Messaging, channel: str | None, by: str, now: datetime
) -> AnnounceOutcome:
    """Post the hunt's announcement (what, when, how to play) once in a channel: the one the
    lead typed in, else the champions' channel."""
    hunt = _current(Hunts(session))
    if hunt is None or hunt.starts_at is None or hunt.ends_at is None:
        return AnnounceOutcome.NOT_SCHEDULED
    where = channel or ProgramConfig(session).load().champions_channel_id
    if not where:
        return AnnounceOutcome.NO_CHANNEL
    card = announce_card(messaging.texts_for(None), hunt)
    message = OutboundMessage(f"hunt:{hunt.id}:announce:{where}", ToConversation(where), MessagePayload("", card))
    if not messaging.send(session, message, now):
        return AnnounceOutcome.ALREADY
    AuditTrail(session).record(by, "hunt.announce", hunt.title, now)
    return AnnounceOutcome.ANNOUNCED


# --- teams: departments (the default) or offices, some grouped into one team -----------------------


class TeamsOutcome(StrEnum):
    SHOWN = "teams_shown"
    SET = "teams_set"
    NO_HUNT = "teams_no_hunt"  # nothing drafted or scheduled: teams are formed as a hunt opens
    UNKNOWN = "teams_unknown"  # a unit the directory does not have, or in two groups


@dataclass(frozen=True, slots=True)
class Teamed:
    outcome: TeamsOutcome
    hunt: Hunt | None = None
    teams: tuple[TeamPlan, ...] = ()
    problem: str = ""
    units: tuple[str, ...] = ()


def set_teams(session: Session, by: TeamsBy | None, groups: list[list[str]] | None, lead: str, now: datetime) -> Teamed:
    """How the next hunt's teams are formed when it opens: by department or office, with the
    groups a lead made ("Sales + Marketing"); with neither, the teams as they stand."""
    hunts = Hunts(session)
    hunt = hunts.latest([HuntStatus.SCHEDULED]) or hunts.latest([HuntStatus.DRAFT])
    if hunt is None:
        return Teamed(TeamsOutcome.NO_HUNT)
    kind = by or hunt.teams_by
    grouping = groups if groups is not None else ([] if kind is not hunt.teams_by else hunt.team_groups)
    units = units_with_headcount(session, kind)
    if by is None and groups is None:
        return Teamed(TeamsOutcome.SHOWN, hunt, tuple(form_teams(units, grouping)))
    problem = group_problem([name for name, _, _ in units], grouping)
    if problem is not None:
        return Teamed(TeamsOutcome.UNKNOWN, hunt, problem=problem, units=tuple(name for name, _, _ in units))
    hunts.set_teams(hunt.id, kind, grouping, now)
    AuditTrail(session).record(lead, "hunt.teams", hunt.title, now, after={"by": kind.value, "groups": grouping})
    return Teamed(TeamsOutcome.SET, hunt, tuple(form_teams(units, grouping)))


# --- a dry run: the hunt played by champions only, before everyone plays it -----------------------

DRY_RUN = timedelta(hours=24)


class DryRunOutcome(StrEnum):
    STARTED = "dry_run_started"
    NO_HUNT = "dry_run_no_hunt"  # nothing drafted or scheduled to rehearse
    RUNNING = "dry_run_running"  # one at a time
    NO_CHAMPIONS = "dry_run_no_champions"


@dataclass(frozen=True, slots=True)
class DryRun:
    outcome: DryRunOutcome
    teams: int = 0
    ends_at: datetime | None = None


def dry_run(session: Session, messaging: Messaging, by: str, now: datetime, default_timezone: str) -> DryRun:
    """Start the next hunt now for `DRY_RUN`, with champions only (a team per department's
    champions, dealt with a fresh secret, so the real hunt's deal stays unseen); nobody earns
    points, nobody else sees it, and the leads get the results and the lessons at its end."""
    hunts = Hunts(session)
    source = hunts.latest([HuntStatus.SCHEDULED]) or hunts.latest([HuntStatus.DRAFT])
    if source is None:
        return DryRun(DryRunOutcome.NO_HUNT)
    if hunts.latest([HuntStatus.RUNNING, HuntStatus.PAUSED], rehearsal=True) is not None:
        return DryRun(DryRunOutcome.RUNNING)
    if not champion_units(session):
        return DryRun(DryRunOutcome.NO_CHAMPIONS)
    plan = plan_to_data(source.plan)
    hunt_id = hunts.create(source.title, plan, secrets.token_hex(16), by, now, rehearsal=True)
    hunts.set_teams(hunt_id, TeamsBy.DEPARTMENT, source.team_groups, now)
    ends_at = now + DRY_RUN
    hunts.schedule(hunt_id, now, ends_at, now)
    teams = open_hunt(session, messaging, hunt_id, now, default_timezone)
    AuditTrail(session).record(by, "hunt.dry_run", source.title, now, after={"ends_at": ends_at, "teams": teams})
    return DryRun(DryRunOutcome.STARTED, teams, ends_at)


# --- editing clues, hints and answers in cards -----------------------------------------------------


class EditOutcome(StrEnum):
    LIST = "edit_list"
    CLUE = "edit_clue"
    SAVED = "edit_saved"
    INVALID = "edit_invalid"
    CHANGED = "edit_changed"  # someone changed the hunt since the card was opened
    NO_HUNT = "edit_no_hunt"
    NO_CLUE = "edit_no_clue"


@dataclass(frozen=True, slots=True)
class Editing:
    outcome: EditOutcome
    hunt: Hunt | None = None
    clue_key: str = ""
    problem: str = ""


def _editable(hunts: Hunts, hunt_id: int | None) -> Hunt | None:
    if hunt_id is not None:
        hunt = hunts.get(hunt_id)
        return hunt if hunt is not None and hunt.status is not HuntStatus.CLOSED else None
    return _current(hunts) or hunts.latest([HuntStatus.DRAFT])


def clue_to_edit(session: Session, hunt_id: int | None, clue_key: str) -> Editing:
    """The hunt a lead edits (the one running or next), and the clue, if they named one."""
    hunt = _editable(Hunts(session), hunt_id)
    if hunt is None:
        return Editing(EditOutcome.NO_HUNT)
    if not clue_key:
        return Editing(EditOutcome.LIST, hunt)
    if hunt.plan.clue(clue_key) is None:
        return Editing(EditOutcome.NO_CLUE, hunt, clue_key)
    return Editing(EditOutcome.CLUE, hunt, clue_key)


def save_clue(
    session: Session, hunt_id: int, version: str, clue_key: str, edit: ClueEdit, by: str, now: datetime
) -> Editing:
    """Change one clue of a hunt not yet over; refused with the reason when the result would not
    run, and when another lead changed the hunt since this card was opened."""
    hunts = Hunts(session)
    hunt = _editable(hunts, hunt_id)
    if hunt is None:
        return Editing(EditOutcome.NO_HUNT)
    if hunt.version != version:
        return Editing(EditOutcome.CHANGED, hunt, clue_key)
    try:
        plan = edit_clue(hunt.plan, clue_key, edit)
    except PlanError as error:
        return Editing(EditOutcome.INVALID, hunt, clue_key, str(error)[:300])
    data = plan_to_data(plan)
    if not hunts.update_plan(hunt.id, data, version, now):
        return Editing(EditOutcome.CHANGED, hunts.get(hunt.id), clue_key)
    before, after = _clue_in(plan_to_data(hunt.plan), clue_key), _clue_in(data, clue_key)
    AuditTrail(session).record(by, "hunt.edit", f"{hunt.title}: {clue_key}", now, before=before, after=after)
    return Editing(EditOutcome.SAVED, hunts.get(hunt.id), clue_key)


def _clue_in(data: dict[str, Any], clue_key: str) -> dict[str, Any] | None:
    """One clue of a hunt file, as the audit trail keeps it."""
    clues = [clue for leg in data["legs"] for clue in leg["clues"]] + ([data["final"]] if "final" in data else [])
    return next((clue for clue in clues if clue["key"] == clue_key), None)
