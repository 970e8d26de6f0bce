"""Check-ins in chat: answering, skipping, snoozing, history; cadence, questions, results, feedback for leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from dialogs.form import FormRun, Values
from domain.answers import AnswerError, free_text, record_id
from domain.i18n import Texts
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.checkins import queries
from features.checkins.domain import MAX_QUESTIONS, input_id, next_round_date, parse_cadence, parse_question_set, streak
from features.checkins.feedback_domain import MAX_NOTE, MAX_OWNER, FeedbackStatus, clean_note, parse_feedback_filter
from features.checkins.views import (
    ASSIGNMENT_FIELD,
    SKIP_REASON_INPUT,
    cadence_card,
    checkin_card,
    closed_checkin_card,
    feedback_card,
    history_card,
    local_time,
    questions_card,
    raw_question_text,
    summary_card,
)
from features.checkins.workflows import (
    AnswerOutcome,
    RoundAction,
    RoundChange,
    TriageOutcome,
    save_cadence,
    save_questions,
    skip_round,
    snooze_round,
    submit_answers,
    triage,
)

MAX_FEEDBACK_CARDS = 10
OLDER_ROUNDS_LISTED = 5


@dataclass(frozen=True, slots=True)
class Checkins(FeatureHandlers):
    # --- champions ------------------------------------------------------------------------

    async def check_in(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id, now = user.identity.teams_user_id, self.now()
        current = await self.db(queries.open_checkin, teams_user_id, now)
        if current is None:
            await turn.say(await self._nothing_open(t))
            return
        await turn.send_card(checkin_card(t, current))

    async def _nothing_open(self, t: Texts) -> str:
        cadence = await self.db(queries.cadence)
        if not cadence.enabled:
            return t("checkin.none_open")
        upcoming = next_round_date(cadence, self.program_today())
        return t("checkin.none_open_next", date=upcoming, time=cadence.local_time)

    async def skip(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        if not argument.strip():
            teams_user_id, now = user.identity.teams_user_id, self.now()
            current = await self.db(queries.open_checkin, teams_user_id, now)
            if current is None:
                await turn.say(await self._nothing_open(t))
                return
            await self.begin(turn, "skip_checkin")
            return
        try:
            reason = free_text(argument, MAX_NOTE)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return
        await self._skip(turn, t, user.identity.teams_user_id, reason)

    async def skip_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        t = Texts(self.services.translate, run.locale)
        await self._skip(turn, t, turn.user_id, values["reason"])

    async def _skip(self, turn: Turn, t: Texts, teams_user_id: str, reason: str) -> None:
        now = self.now()
        changed = await self.db(skip_round, teams_user_id, reason, now)
        await turn.say(await self._round_change_text(t, changed, "checkin.skipped"))

    async def snooze(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id, now = user.identity.teams_user_id, self.now()
        changed = await self.db(snooze_round, teams_user_id, now)
        await turn.say(await self._round_change_text(t, changed, "checkin.snoozed"))

    async def _round_change_text(self, t: Texts, changed: RoundChange, done_key: str) -> str:
        checkin = changed.checkin
        if changed.outcome is RoundAction.NO_ROUND or checkin is None:
            return await self._nothing_open(t)
        if changed.outcome is RoundAction.DONE:
            return t(done_key, when=local_time(changed.until or checkin.closes_at, checkin.timezone))
        when = local_time(checkin.closes_at, checkin.timezone)
        return t(f"checkin.{changed.outcome.value}", when=when)

    async def history(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id

        history = await self.db(queries.history_of, teams_user_id)
        if history is None:
            await turn.say(t("checkin.champions_only"))
            return
        card = history_card(t, history, streak(checkin.status for checkin in history))
        await turn.send_card(card)

    # --- champions: the card's buttons ----------------------------------------------------

    async def submit(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        teams_user_id, now = user.identity.teams_user_id, self.now()
        answered = await self.db(submit_answers, self.messaging, teams_user_id, data.get(ASSIGNMENT_FIELD), data, now)
        checkin = answered.checkin
        if answered.outcome is AnswerOutcome.NOT_YOURS or checkin is None:
            return CardReply(message=t("card.action_unknown"))
        if answered.outcome is AnswerOutcome.NOT_IN_ROUND:
            return CardReply(message=t("checkin.not_in_round"))
        if answered.outcome is AnswerOutcome.CLOSED:
            return CardReply(card=closed_checkin_card(t, checkin))
        when = local_time(checkin.closes_at, checkin.timezone)
        if answered.outcome is AnswerOutcome.INVALID and answered.error is not None:
            typed = {q.id: data.get(input_id(q)) for q in checkin.questions}
            notice = t(answered.error.reason, **answered.error.params)
            return CardReply(card=checkin_card(t, checkin, notice=notice, error=True, answers=typed))
        key = "checkin.thanks" if answered.outcome is AnswerOutcome.SAVED else "checkin.updated"
        return CardReply(card=checkin_card(t, checkin, notice=t(key, when=when)))

    async def skip_from_card(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        try:
            reason = free_text(str(data.get(SKIP_REASON_INPUT) or ""), MAX_NOTE)
        except AnswerError as error:
            return CardReply(message=t(error.reason, **error.params))
        teams_user_id, now = user.identity.teams_user_id, self.now()
        assignment_id = data.get(ASSIGNMENT_FIELD)
        changed = await self.db(skip_round, teams_user_id, reason, now, assignment_id)
        return CardReply(message=await self._round_change_text(t, changed, "checkin.skipped"))

    async def snooze_from_card(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        teams_user_id, now = user.identity.teams_user_id, self.now()
        assignment_id = data.get(ASSIGNMENT_FIELD)
        changed = await self.db(snooze_round, teams_user_id, now, assignment_id)
        return CardReply(message=await self._round_change_text(t, changed, "checkin.snoozed"))

    # --- leads: cadence and questions -----------------------------------------------------

    async def cadence(self, turn: Turn, user: UserContext, _argument: str) -> None:
        cadence = await self.db(queries.cadence)
        upcoming = next_round_date(cadence, self.program_today()) if cadence.enabled else None
        await turn.send_card(cadence_card(self.texts(user), cadence, upcoming))

    async def save_cadence(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        today = self.program_today()
        try:
            cadence = parse_cadence(data, today)
        except AnswerError as error:
            current = await self.db(queries.cadence)
            return CardReply(card=cadence_card(t, current, None, notice=t(error.reason, **error.params), error=True))
        by, now = name_of(user), self.now()
        await self.db(save_cadence, cadence, by, now)
        upcoming = next_round_date(cadence, today) if cadence.enabled else None
        notice = t("cadence.saved") if cadence.enabled else t("cadence.saved_off")
        return CardReply(card=cadence_card(t, cadence, upcoming, notice=notice))

    async def questions(self, turn: Turn, user: UserContext, _argument: str) -> None:
        current = await self.db(queries.questions)
        await turn.send_card(questions_card(self.texts(user), current))

    async def save_questions(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        current = await self.db(queries.questions)
        rows = [(str(data.get(f"text_{i}") or ""), str(data.get(f"kind_{i}") or "text")) for i in range(MAX_QUESTIONS)]
        shown = {question.id: raw_question_text(t, question) for question in current}
        try:
            questions = parse_question_set(rows, current, shown)
        except AnswerError as error:
            return CardReply(card=questions_card(t, current, notice=t(error.reason, **error.params), error=True))
        by, now = name_of(user), self.now()
        await self.db(save_questions, questions, by, now)
        return CardReply(card=questions_card(t, questions, notice=t("questions.saved")))

    # --- leads: results and feedback ------------------------------------------------------

    async def results(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        wanted: date | None = None
        if argument.strip():
            try:
                wanted = date.fromisoformat(argument.strip())
            except ValueError:
                await turn.say(t("results.usage"))
                return

        summary, recent = await self.db(queries.results, wanted, OLDER_ROUNDS_LISTED)
        if summary is None:
            key = "results.no_round_on" if wanted and recent else "results.none"
            await turn.say(t(key, date=wanted or ""))
            return
        others = [day for _, day in recent if day != summary.round_date][:OLDER_ROUNDS_LISTED]
        await turn.send_card(summary_card(t, summary, self.now(), others))

    def _status_words(self) -> dict[str, FeedbackStatus]:
        translate = self.services.translate
        return {
            word: status
            for status in FeedbackStatus
            for word in (
                status.value.replace("_", " "),
                *translate.in_every_language(f"feedback.status.{status.value}"),
            )
        }

    async def feedback(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        units = await self.db(queries.feedback_units)
        try:
            wanted = parse_feedback_filter(argument, self._status_words(), units)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return

        items, counts = await self.db(queries.feedback_items, wanted, MAX_FEEDBACK_CARDS)
        summary = ", ".join(
            f"{counts[status]} {t(f'feedback.status.{status.value}')}"
            for status in FeedbackStatus
            if counts.get(status)
        )
        if not items:
            await turn.say(t("feedback.none", summary=summary or "0"))
            return
        intro = t("feedback.intro", shown=len(items), summary=summary)
        await turn.send_cards([feedback_card(t, item) for item in items], text=intro)

    async def update_feedback(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        item_id = record_id(data.get("item_id"))
        try:
            expected = FeedbackStatus(str(data.get("expected")))
            status = FeedbackStatus(str(data.get("status")))
        except ValueError:
            return CardReply(message=t("card.action_unknown"))
        if item_id is None:
            return CardReply(message=t("card.action_unknown"))
        current = await self.db(queries.feedback_item, item_id)
        if current is None:
            return CardReply(message=t("card.action_unknown"))
        try:
            owner = clean_note(data.get("owner"), MAX_OWNER)
            note = clean_note(data.get("note"))
        except AnswerError as error:
            return CardReply(card=feedback_card(t, current, notice=t(error.reason, **error.params), error=True))
        by, now = name_of(user), self.now()
        triaged = await self.db(triage, self.messaging, item_id, expected, status, owner, note, by, now)
        item = triaged.item or current
        notice = {
            TriageOutcome.CHANGED: t("feedback.changed_told" if triaged.raiser_told else "feedback.changed", by=by),
            TriageOutcome.UNCHANGED: t("feedback.unchanged"),
            TriageOutcome.STALE: t("feedback.stale"),
            TriageOutcome.NOT_FOUND: t("card.action_unknown"),
        }[triaged.outcome]
        return CardReply(card=feedback_card(t, item, notice=notice, error=triaged.outcome is TriageOutcome.STALE))
