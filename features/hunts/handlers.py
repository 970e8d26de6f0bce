"""Hunts in chat: players see their clues, answer and open hints; leads create and schedule hunts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.i18n import Texts
from domain.program import UserContext, name_of
from domain.roles import Role
from domain.turn import SentFile, Turn
from features.hunts.check_workflows import CheckOutcome, request_check
from features.hunts.checks import configured_verifier, start_checks
from features.hunts.domain import LANGUAGES, MAX_PICTURE_BYTES, ClueEdit, HuntPlan, PlanError, TeamsBy, localized
from features.hunts.evidence_workflows import (
    ReviewOutcome,
    SentOutcome,
    evidence_clues,
    evidence_to_review,
    review_evidence,
    send_evidence,
)
from features.hunts.ops_workflows import (
    FILE_LINK_MINUTES,
    MAX_HUNT_FILE_BYTES,
    EditOutcome,
    ImportOutcome,
    PreviewOutcome,
    Ran,
    TeamsOutcome,
    announce_hunt,
    clue_to_edit,
    dry_run,
    extend_hunt,
    hunt_file_link,
    import_hunt,
    pause_hunt,
    preview_of,
    resume_hunt,
    save_clue,
    set_teams,
)
from features.hunts.plans import TEMPLATES, template
from features.hunts.views import (
    ACCEPT,
    CLUE_FIELD,
    DECISION_FIELD,
    EVIDENCE_FIELD,
    HINTS_FIELD,
    HUNT_FIELD,
    LANGUAGE_FIELD,
    MAX_ANSWER,
    MAX_CLUE_TEXT,
    REASON_FIELD,
    SEEN_FIELD,
    VARIANTS_FIELD,
    VERSION_FIELD,
    answer_input,
    board_card,
    edit_clue_card,
    edit_list_card,
    flags_card,
    hint_input,
    new_hunt_card,
    play_card,
    preview_card,
    review_card,
    variant_input,
)
from features.hunts.workflows import (
    AdjustOutcome,
    Answered,
    AnswerOutcome,
    CreateOutcome,
    HintOutcome,
    PlayOutcome,
    ScheduleOutcome,
    adjust_score,
    answer,
    board_of,
    create_from_template,
    flags_of,
    play_of,
    said_on_limit,
    said_on_solve,
    schedule,
    take_hint,
)
from views.cards import plain

# "by office" / "by department" (also "per sede", "per reparto", "ตามสำนักงาน", "ตามแผนก").
TEAMS_BY_WORDS = {
    **dict.fromkeys(("by office", "per sede", "per ufficio", "ตามสำนักงาน"), TeamsBy.OFFICE),
    **dict.fromkeys(("by department", "per reparto", "ตามแผนก"), TeamsBy.DEPARTMENT),
}


def parsed_teams(argument: str) -> tuple[TeamsBy | None, list[list[str]] | None]:
    """`hunt teams` arguments: how teams are formed, or groups ("Sales + Marketing, Finance + Legal")."""
    words = " ".join(argument.split())
    if not words:
        return None, None
    if words.casefold() in TEAMS_BY_WORDS:
        return TEAMS_BY_WORDS[words.casefold()], None
    groups = [[name.strip() for name in part.split("+") if name.strip()] for part in words.split(",")]
    return None, [group for group in groups if len(group) > 1]


def _clue_edit(data: dict[str, Any], language: str) -> ClueEdit | None:
    """The edit card's inputs; None when the value is not a whole number or the card was tampered with."""
    value = data.get("value")
    try:
        points = int(str(value))
    except ValueError:
        return None

    def typed(field: str, limit: int = MAX_CLUE_TEXT) -> str:
        return str(data.get(field) or "")[:limit]

    counts = [data.get(VARIANTS_FIELD), data.get(HINTS_FIELD)]
    if not all(isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= 20 for count in counts):
        return None
    variants = []
    for number in range(1, int(str(counts[0])) + 1):
        written = typed(variant_input(number, "answers")).split(",")
        answers = tuple(answer.strip() for answer in written if answer.strip())
        variants.append((typed(variant_input(number, "text")), answers))
    hints = [typed(hint_input(number), 500) for number in range(1, int(str(counts[1])) + 1)]
    return ClueEdit(language, typed("title", 100), points, tuple(variants), tuple(hints))


def is_hunt_file(file: SentFile) -> bool:
    return file.content_type == "application/json" or file.name.lower().endswith(".json")


# A new hunt's suggested window: tomorrow morning, for a week.
DEFAULT_START = time(9)
DEFAULT_LENGTH = timedelta(days=7)
# "2 days", "12 hours" (also "2 giorni", "12 ore", "2 วัน", "12 ชั่วโมง"): how much longer a hunt runs.
MORE_TIME = re.compile(r"^(?P<amount>\d{1,3})\s*(?P<unit>\w+)$")
TIME_UNITS = {
    **dict.fromkeys(("d", "day", "days", "giorno", "giorni", "g", "วัน"), timedelta(days=1)),
    **dict.fromkeys(("h", "hour", "hours", "ora", "ore", "ชั่วโมง", "ชม"), timedelta(hours=1)),
}
# "Sales -50 for sharing answers" (also "per" in Italian, "เพราะ" in Thai): team, points, reason.
ADJUSTMENT = re.compile(
    r"^(?P<team>.+?)\s+(?P<points>[+-]?\d{1,5})\s+(?:for|per|เพราะ)\s+(?P<reason>.+)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class HuntHandlers(FeatureHandlers):
    # --- players ----------------------------------------------------------------------------

    async def hunt(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        seen = await self.db(play_of, user.identity.teams_user_id, self.now())
        if seen.outcome is PlayOutcome.PLAYING and seen.play is not None:
            await turn.send_card(play_card(t, seen.play))
        elif seen.outcome is PlayOutcome.NOT_STARTED and seen.hunt is not None:
            title = localized(seen.hunt.plan.title, t.locale)
            await turn.say(t("hunt.not_started", title=title, when=seen.hunt.starts_at or self.now()))
        elif seen.outcome is PlayOutcome.PAUSED:
            await turn.say(t("hunt.paused"))
        elif seen.outcome is PlayOutcome.NO_TEAM and seen.hunt is not None:
            await turn.say(t("hunt.no_team", title=localized(seen.hunt.plan.title, t.locale)))
        else:
            await turn.say(t("hunt.none"))

    async def answer_typed(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`answer opportunity`, or `answer 2 opportunity` when the team has several clues open."""
        t = self.texts(user)
        words = argument.split()
        number = int(words[0]) if len(words) > 1 and words[0].isdigit() else None
        text = " ".join(words[1:] if number is not None else words)[:MAX_ANSWER]
        if not text:
            await turn.say(t("hunt.needs_answer"))
            return
        answered = await self.db(answer, self.messaging, user.identity.teams_user_id, None, number, text, self.now())
        await turn.say(self._verdict(t, answered))

    async def answer_card(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        clue_key = str(data.get(CLUE_FIELD) or "")
        text = str(data.get(answer_input(clue_key)) or "").strip()[:MAX_ANSWER]
        teams_user_id = user.identity.teams_user_id
        if not text:
            return await self._card(t, teams_user_id, t("hunt.needs_answer"), error=True)
        answered = await self.db(answer, self.messaging, teams_user_id, clue_key, None, text, self.now())
        return await self._card(
            t, teams_user_id, self._verdict(t, answered), error=answered.outcome is not AnswerOutcome.SOLVED
        )

    async def hint(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        clue_key, seen = str(data.get(CLUE_FIELD) or ""), data.get(SEEN_FIELD)
        teams_user_id = user.identity.teams_user_id
        if not isinstance(seen, int) or isinstance(seen, bool) or seen < 0:
            return CardReply(message=t("card.action_unknown"))
        taken = await self.db(take_hint, teams_user_id, clue_key, seen, self.now())
        notices = {
            HintOutcome.NO_CREDITS: "hunt.hint_no_credits",
            HintOutcome.NO_MORE: "hunt.hint_no_more",
            HintOutcome.NOT_OPEN: "hunt.hint_not_open",
            HintOutcome.PAUSED: "hunt.paused",
        }
        if taken.outcome is HintOutcome.SHOWN:
            return await self._card(t, teams_user_id, "")
        return await self._card(t, teams_user_id, t(notices[taken.outcome]), error=True)

    async def check(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        """An action clue's "Check it": queued, checked off the turn, the verdict in chat."""
        t = self.texts(user)
        clue_key, teams_user_id = str(data.get(CLUE_FIELD) or ""), user.identity.teams_user_id
        verifier = configured_verifier()
        if verifier is None:
            return await self._card(t, teams_user_id, t("hunt.no_verifier"), error=True)
        requested = await self.db(request_check, teams_user_id, clue_key, self.now())
        if requested.outcome is CheckOutcome.QUEUED:
            start_checks(self.services.database, self.messaging, verifier, self.services.clock.now)
            return await self._card(t, teams_user_id, t("hunt.checking"))
        if requested.outcome is CheckOutcome.LIMITED and requested.limited is not None:
            return await self._card(t, teams_user_id, said_on_limit(t, requested.limited)[0], error=True)
        return await self._card(t, teams_user_id, t(f"hunt.{requested.outcome.value}"), error=True)

    async def take_files(self, turn: Turn, user: UserContext, text: str) -> bool:
        """A hunt file from a lead becomes a draft hunt; a picture goes to an evidence clue."""
        files = turn.files()
        if not files or not turn.in_personal_chat:
            return False
        if is_hunt_file(files[0]) and user.role is Role.PROGRAM_LEAD:
            await self._import(turn, user, files[0])
            return True
        return await self._take_picture(turn, user, text, files)

    async def _take_picture(self, turn: Turn, user: UserContext, text: str, files: list[SentFile]) -> bool:
        """A picture sent in chat, for one of the team's open evidence clues ("2" picks which)."""
        teams_user_id = user.identity.teams_user_id
        numbers = await self.db(evidence_clues, teams_user_id, self.now())
        if not numbers:
            return False
        t = self.texts(user)
        number = int(text) if text.strip().isdigit() else None
        if number is None and len(numbers) > 1:
            await turn.say(t("hunt.evidence_which", numbers=", ".join(map(str, numbers))))
            return True
        picture = await turn.read_file(files[0], MAX_PICTURE_BYTES)
        if picture is None:
            await turn.say(t("hunt.evidence_unreadable", megabytes=MAX_PICTURE_BYTES // (1024 * 1024)))
            return True
        origin = self.public_origin()
        sent = await self.db(send_evidence, self.messaging, teams_user_id, number, picture, origin, self.now())
        if sent is SentOutcome.WHICH_CLUE:
            await turn.say(t("hunt.evidence_which", numbers=", ".join(map(str, numbers))))
        else:
            await turn.say(t(f"hunt.{sent.value}"))
        return True

    async def review(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        """A reviewer's Accept, or Reject with a reason; checked on the server (theirs, or a lead's)."""
        t = self.texts(user)
        evidence_id, decision = data.get(EVIDENCE_FIELD), data.get(DECISION_FIELD)
        if not isinstance(evidence_id, int) or isinstance(evidence_id, bool) or not isinstance(decision, str):
            return CardReply(message=t("card.action_unknown"))
        reviewed = await self.db(
            review_evidence,
            self.messaging,
            evidence_id,
            user.identity.teams_user_id,
            user.role is Role.PROGRAM_LEAD,
            decision == ACCEPT,
            str(data.get(REASON_FIELD) or ""),
            name_of(user),
            self.public_origin(),
            self.now(),
        )
        if reviewed.evidence is None or reviewed.outcome is ReviewOutcome.NOT_YOURS:
            return CardReply(message=t(f"hunt.{reviewed.outcome.value}"))
        done = reviewed.outcome in (ReviewOutcome.ACCEPTED, ReviewOutcome.REJECTED)
        notice = "" if done else t(f"hunt.{reviewed.outcome.value}")
        return CardReply(card=review_card(t, reviewed.evidence, reviewed.link, notice))

    async def _card(self, t: Texts, teams_user_id: str, notice: str, error: bool = False) -> CardReply:
        """The player's card again, as it is now, with what just happened at the top."""
        seen = await self.db(play_of, teams_user_id, self.now())
        if seen.play is None:
            return CardReply(message=notice or t("hunt.not_playing"))
        return CardReply(card=play_card(t, seen.play, notice, error))

    def _verdict(self, t: Texts, answered: Answered) -> str:
        outcome = answered.outcome
        if outcome is AnswerOutcome.SOLVED:
            return " ".join(said_on_solve(t, answered))
        if outcome in (AnswerOutcome.NEAR_MISS, AnswerOutcome.WRONG):
            reply = localized(answered.reply, t.locale) if answered.reply else t("hunt.wrong")
            return " ".join([reply, *said_on_limit(t, answered.limited, answered.warning)])
        if outcome is AnswerOutcome.LIMITED and answered.limited is not None:
            return said_on_limit(t, answered.limited)[0]
        return t(f"hunt.{outcome.value}")

    async def standings(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        board = await self.db(board_of, self.now())
        if board is None:
            await turn.say(t("hunt.no_board"))
            return
        await turn.send_card(board_card(t, board))

    # --- leads ------------------------------------------------------------------------------

    async def templates(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        lines = [t("hunt.template_line", key=key, title=localized(template(key).title, t.locale)) for key in TEMPLATES]
        await turn.say("\n\n".join([t("hunt.templates_title"), *lines]))

    async def new_hunt(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        key = argument.strip().lower() or TEMPLATES[0]
        now = self.now()
        try:
            verifier = configured_verifier() is not None
            created = await self.db(create_from_template, key, name_of(user), now, verifier=verifier)
        except PlanError:
            await turn.say(t("hunt.no_template", name=argument.strip(), templates=", ".join(TEMPLATES)))
            return
        plan = template(key)
        if created.outcome is CreateOutcome.NEEDS_VERIFIER or created.hunt_id is None:
            ready = [name for name in TEMPLATES if name != key]
            await turn.say(t("hunt.needs_verifier", title=localized(plan.title, t.locale), templates=", ".join(ready)))
            return
        await self._schedule_card(turn, t, created.hunt_id, plan)

    async def _schedule_card(self, turn: Turn, t: Texts, hunt_id: int, plan: HuntPlan) -> None:
        """A new hunt, and when it runs: tomorrow morning for a week, unless the lead says otherwise."""
        zone = ZoneInfo(self.services.timezone)
        starts = datetime.combine(self.program_today() + timedelta(days=1), DEFAULT_START, zone)
        title, intro = localized(plan.title, t.locale), localized(plan.intro, t.locale)
        await turn.send_card(new_hunt_card(t, hunt_id, title, intro, starts, starts + DEFAULT_LENGTH))

    async def schedule(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        hunt_id = data.get(HUNT_FIELD)
        window = self._window(data)
        if not isinstance(hunt_id, int) or isinstance(hunt_id, bool):
            return CardReply(message=t("card.action_unknown"))
        if window is None:
            return CardReply(message=t("hunt.bad_date"))
        starts, ends = window
        outcome = await self.db(schedule, hunt_id, starts, ends, name_of(user), self.now())
        if outcome is ScheduleOutcome.SCHEDULED:
            return CardReply(message=t("hunt.scheduled", start=starts, end=ends))
        return CardReply(message=t(f"hunt.{outcome.value}"))

    def _window(self, data: dict[str, Any]) -> tuple[datetime, datetime] | None:
        """The start and end the lead chose, in the program's time zone."""
        zone = ZoneInfo(self.services.timezone)
        try:
            moments = [
                datetime.combine(
                    date.fromisoformat(str(data[f"{end}_date"])), time.fromisoformat(str(data[f"{end}_time"])), zone
                )
                for end in ("start", "end")
            ]
        except (KeyError, ValueError):
            return None
        return moments[0].replace(tzinfo=zone), moments[1].replace(tzinfo=zone)

    async def flags(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        found = await self.db(flags_of)
        if found is None:
            await turn.say(t("hunt.no_board"))
            return
        await turn.send_card(flags_card(t, *found))

    async def evidence(self, turn: Turn, user: UserContext, _argument: str) -> None:
        """`hunt evidence`: the pictures still waiting for a review; a lead may judge any."""
        t = self.texts(user)
        found = await self.db(evidence_to_review, self.public_origin(), self.now())
        if found is None:
            await turn.say(t("hunt.no_board"))
            return
        _hunt, waiting = found
        if not waiting:
            await turn.say(t("hunt.no_evidence_waiting"))
            return
        cards = [review_card(t, evidence, link) for evidence, link in waiting]
        await turn.send_cards(cards, t("hunt.evidence_waiting_count", count=len(cards)))

    async def pause(self, turn: Turn, user: UserContext, _argument: str) -> None:
        await self._said_ran(turn, user, await self.db(pause_hunt, self.messaging, name_of(user), self.now()))

    async def resume(self, turn: Turn, user: UserContext, _argument: str) -> None:
        await self._said_ran(turn, user, await self.db(resume_hunt, self.messaging, name_of(user), self.now()))

    async def extend(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`extend hunt 2 days`, `extend hunt 12 hours`."""
        parsed = MORE_TIME.match(" ".join(argument.lower().split()))
        unit = TIME_UNITS.get(parsed["unit"]) if parsed is not None else None
        if parsed is None or unit is None or int(parsed["amount"]) == 0:
            await turn.say(self.texts(user)("hunt.extend_usage"))
            return
        more = unit * int(parsed["amount"])
        await self._said_ran(turn, user, await self.db(extend_hunt, self.messaging, name_of(user), more, self.now()))

    async def _said_ran(self, turn: Turn, user: UserContext, ran: Ran) -> None:
        await turn.say(self.texts(user)(f"hunt.{ran.outcome.value}", when=ran.ends_at or self.now()))

    async def preview(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`preview hunt Sales`: the hunt as the Sales team gets it, answers included."""
        t = self.texts(user)
        seen = await self.db(preview_of, argument)
        if seen.outcome is PreviewOutcome.SHOWN and seen.hunt is not None:
            await turn.send_card(preview_card(t, seen.hunt, seen.team, seen.code_word, seen.dealt))
        else:
            await turn.say(t(f"hunt.{seen.outcome.value}", team=argument.strip(), teams=", ".join(seen.teams)))

    async def teams(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`hunt teams`, `hunt teams by office`, `hunt teams Sales + Marketing, Finance + Legal`."""
        t = self.texts(user)
        by, groups = parsed_teams(argument)
        teamed = await self.db(set_teams, by, groups, name_of(user), self.now())
        if teamed.outcome in (TeamsOutcome.SHOWN, TeamsOutcome.SET) and teamed.hunt is not None:
            lines = [t("hunt.team_line", team=plain(team.name), count=team.headcount) for team in teamed.teams]
            title = localized(teamed.hunt.plan.title, t.locale)
            said = [t(f"hunt.{teamed.outcome.value}", title=title), *lines, t("hunt.teams_how")]
            await turn.say("\n\n".join(said))
        else:
            await turn.say(t(f"hunt.{teamed.outcome.value}", name=teamed.problem, units=", ".join(teamed.units)))

    async def dry_run(self, turn: Turn, user: UserContext, _argument: str) -> None:
        """`dry run hunt`: the next hunt, now, for champions only, for a day."""
        t = self.texts(user)
        started = await self.db(dry_run, self.messaging, name_of(user), self.now(), self.services.timezone)
        await turn.say(t(f"hunt.{started.outcome.value}", count=started.teams, when=started.ends_at or self.now()))

    async def announce(self, turn: Turn, user: UserContext, _argument: str) -> None:
        """`announce hunt`: in the channel it is typed in, else in the champions' channel."""
        t = self.texts(user)
        channel = turn.conversation_id if turn.in_channel else None
        announced = await self.db(announce_hunt, self.messaging, channel, name_of(user), self.now())
        await turn.say(t(f"hunt.{announced.value}"))

    async def edit(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`edit hunt`, `edit hunt lead`, `edit hunt lead it`: a clue's words, answers and hints in a card."""
        t = self.texts(user)
        words = argument.split()
        mine = (t.locale or "en")[:2].lower()
        language = words[-1].lower() if words and words[-1].lower() in LANGUAGES else mine
        language = language if language in LANGUAGES else LANGUAGES[0]
        clue_key = words[0].lower() if words and words[0].lower() not in LANGUAGES else ""
        editing = await self.db(clue_to_edit, None, clue_key)
        if editing.outcome is EditOutcome.LIST and editing.hunt is not None:
            await turn.send_card(edit_list_card(t, editing.hunt, language))
        elif editing.outcome is EditOutcome.CLUE and editing.hunt is not None:
            await turn.send_card(edit_clue_card(t, editing.hunt, editing.clue_key, language))
        else:
            await turn.say(t(f"hunt.{editing.outcome.value}", clue=clue_key))

    async def edit_clue(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        hunt_id, clue_key, language = data.get(HUNT_FIELD), str(data.get(CLUE_FIELD) or ""), data.get(LANGUAGE_FIELD)
        if not isinstance(hunt_id, int) or isinstance(hunt_id, bool) or language not in LANGUAGES or not clue_key:
            return CardReply(message=t("card.action_unknown"))
        editing = await self.db(clue_to_edit, hunt_id, clue_key)
        if editing.outcome is not EditOutcome.CLUE or editing.hunt is None:
            return CardReply(message=t(f"hunt.{editing.outcome.value}", clue=clue_key))
        return CardReply(card=edit_clue_card(t, editing.hunt, clue_key, str(language)))

    async def save_clue(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        """A lead's edit of one clue: saved if the hunt would still run, and nobody changed it meanwhile."""
        t = self.texts(user)
        hunt_id, clue_key, language = data.get(HUNT_FIELD), str(data.get(CLUE_FIELD) or ""), data.get(LANGUAGE_FIELD)
        version = str(data.get(VERSION_FIELD) or "")
        if not isinstance(hunt_id, int) or isinstance(hunt_id, bool) or language not in LANGUAGES:
            return CardReply(message=t("card.action_unknown"))
        edit = _clue_edit(data, str(language))
        if edit is None:
            return CardReply(message=t("hunt.edit_bad_value"))
        saved = await self.db(save_clue, hunt_id, version, clue_key, edit, name_of(user), self.now())
        if saved.hunt is None or saved.hunt.plan.clue(clue_key) is None:
            return CardReply(message=t(f"hunt.{saved.outcome.value}", clue=clue_key))
        notice = t(f"hunt.{saved.outcome.value}", problem=saved.problem)
        error = saved.outcome is not EditOutcome.SAVED
        return CardReply(card=edit_clue_card(t, saved.hunt, clue_key, str(language), notice, error))

    async def hunt_file(self, turn: Turn, user: UserContext, _argument: str) -> None:
        """`hunt file`: the newest hunt as a hunt file, to edit and send back next quarter."""
        t = self.texts(user)
        found = await self.db(hunt_file_link, self.public_origin(), self.now())
        if found is None:
            await turn.say(t("hunt.none"))
            return
        hunt, link = found
        title = localized(hunt.plan.title, t.locale)
        await turn.say(t("hunt.file_link", title=title, link=link, minutes=FILE_LINK_MINUTES))

    async def _import(self, turn: Turn, user: UserContext, file: SentFile) -> None:
        t = self.texts(user)
        body = await turn.read_file(file, MAX_HUNT_FILE_BYTES)
        if body is None:
            await turn.say(t("hunt.file_unreadable", kilobytes=MAX_HUNT_FILE_BYTES // 1024))
            return
        verifier = configured_verifier() is not None
        now = self.now()
        imported = await self.db(import_hunt, body, file.name, name_of(user), now, verifier=verifier)
        if imported.outcome is ImportOutcome.CREATED and imported.hunt_id is not None and imported.plan is not None:
            await self._schedule_card(turn, t, imported.hunt_id, imported.plan)
        else:
            await turn.say(t(f"hunt.{imported.outcome.value}", problem=imported.problem))

    async def adjust(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`adjust hunt Sales -50 for sharing answers`: a reason is required."""
        t = self.texts(user)
        parsed = ADJUSTMENT.match(" ".join(argument.split()))
        if parsed is None or not parsed["reason"].strip():
            await turn.say(t("hunt.adjust_usage"))
            return
        team, points, reason = parsed["team"], int(parsed["points"]), parsed["reason"].strip()[:500]
        outcome = await self.db(adjust_score, team, points, reason, name_of(user), self.now())
        if outcome is AdjustOutcome.ADJUSTED:
            await turn.say(t("hunt.adjusted", team=team, points=points, reason=reason))
        else:
            await turn.say(t(f"hunt.{outcome.value}", team=team))
