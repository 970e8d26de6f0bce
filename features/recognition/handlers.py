"""Stories, kudos, points and leaderboards in chat; moderation, awards and settings for leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.feature import FeatureHandlers
from bot.router import CardReply
from dialogs.form import FormRun, Values
from domain.answers import AnswerError, record_id
from domain.clock import zone
from domain.i18n import Texts
from domain.program import UserContext, name_of
from domain.roles import Role
from domain.turn import Turn
from features.recognition import queries
from features.recognition.dialogs import DEPARTMENTS, FOCUS_AREAS
from features.recognition.domain import (
    MAX_IMPACT,
    MAX_REASON,
    MAX_STORY,
    MAX_TITLE,
    Period,
    Ranked,
    StoryDraft,
    exact_champion,
    parse_kudos,
    parse_period,
    parse_points_change,
    parse_recognition_settings,
    period_start,
    season_at,
    season_called,
    season_name,
    story_text,
)
from features.recognition.views import (
    STORY_REASON_INPUT,
    leaderboard_card,
    points_card,
    recognition_settings_card,
    story_card,
    story_moderation_card,
)
from features.recognition.workflows import (
    KudosOutcome,
    MonthOutcome,
    StoryOutcome,
    add_story_channel,
    adjust_points,
    applaud,
    choose_story_of_month,
    give_kudos,
    hide_from_leaderboards,
    moderate_story,
    save_settings,
    share_story,
    start_season,
)
from views.cards import plain

STORIES_SHOWN = 5
MAX_CHAMPION_MATCHES = 5


@dataclass(frozen=True, slots=True)
class Recognition(FeatureHandlers):
    # --- finding a champion by what was typed ---------------------------------------------

    async def champion_named(self, text: str) -> tuple[int, str, str]:
        """The one champion `text` names (name, or email), or an AnswerError saying why not."""
        candidates = await self.db(queries.champions_called, text, MAX_CHAMPION_MATCHES)
        if not candidates:
            raise AnswerError("champion.not_found", name=text[:80])
        found = exact_champion(candidates, text)
        if found is None:
            raise AnswerError("champion.several", names=", ".join(name for _, name, _ in candidates))
        return found

    async def credit_for_story(self, text: str) -> dict[str, Any]:
        champion_id, name, _ = await self.champion_named(text)
        return {"id": champion_id, "name": name}

    # --- stories --------------------------------------------------------------------------

    async def share(self, turn: Turn, user: UserContext, _argument: str) -> None:
        teams_user_id = user.identity.teams_user_id

        departments, focus_areas, department = await self.db(queries.story_form_start, teams_user_id)
        data = {DEPARTMENTS: departments, FOCUS_AREAS: focus_areas}
        values = {"department": department}
        await self.begin(turn, "share_story", {"data": data, "values": values})

    async def share_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("story.not_sent"))
            return
        figures = values.get("figures") or {}
        credit = values.get("credit") or {}
        draft = StoryDraft(
            title=values["title"],
            body=values["body"],
            impact=values["impact"],
            hours_saved=figures.get("hours"),
            deals_closed=figures.get("deals"),
            figures=figures.get("text"),
            department=values.get("department") or "",
            focus_areas=tuple(values.get("focus_areas") or ()),
            credited_champion_id=credit.get("id"),
        )
        teams_user_id, now = turn.user_id, self.now()
        result = await self.db(share_story, self.messaging, teams_user_id, draft, now)
        key = {
            StoryOutcome.PUBLISHED: "story.published_now",
            StoryOutcome.PENDING: "story.sent_to_leads" if result.leads_notified else "story.sent_no_lead",
        }.get(result.outcome, "card.action_unknown")
        await turn.say(run.t(key))

    async def stories(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        wanted = argument.strip()
        is_lead = user.role is Role.PROGRAM_LEAD

        published, pending = await self.db(queries.stories_about, wanted, STORIES_SHOWN, with_pending=is_lead)
        cards = [story_moderation_card(t, story) for story in pending]
        cards += [story_card(t, story, for_lead=is_lead) for story in published]
        if not cards:
            await turn.say(t("story.none_about", about=wanted) if wanted else t("story.none"))
            return
        intro = t("story.list_intro", count=len(published))
        if pending:
            intro = t("story.pending_intro", count=len(pending)) + "\n\n" + intro
        await turn.send_cards(cards, text=intro)

    async def moderate(self, turn: Turn, user: UserContext, data: dict[str, Any], *, publish: bool) -> CardReply:
        t = self.texts(user)
        story_id = record_id(data.get("story_id"))
        if story_id is None:
            return CardReply(message=t("card.action_unknown"))
        current = await self.db(queries.story, story_id)
        if current is None:
            return CardReply(message=t("card.action_unknown"))
        reason = " ".join(str(data.get(STORY_REASON_INPUT) or "").split())[:MAX_REASON] or None
        try:
            edits = {
                "title": story_text(str(data.get("title", current.title)), MAX_TITLE),
                "body": story_text(str(data.get("body", current.body)), MAX_STORY),
                "impact": story_text(str(data.get("impact", current.impact)), MAX_IMPACT),
            }
        except AnswerError as error:
            return CardReply(card=story_moderation_card(t, current, error=t(error.reason, **error.params)))
        if not publish and not reason:
            return CardReply(card=story_moderation_card(t, current, error=t("approval.reason_required")))
        lead, now = name_of(user), self.now()
        result = await self.db(
            moderate_story,
            self.messaging,
            story_id,
            publish=publish,
            lead_name=lead,
            reason=reason,
            edits=edits,
            now=now,
        )
        story = await self.db(queries.story, story_id)
        if story is None:
            return CardReply(message=t("card.action_unknown"))
        decided = t(f"story.decided.{story.status.value}", lead=story.moderated_by or lead)
        if result.outcome is StoryOutcome.ALREADY_DECIDED:
            decided = t("story.already_decided", lead=story.moderated_by or "—") + " " + decided
        return CardReply(card=story_moderation_card(t, story, decided=decided))

    async def publish_story(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.moderate(turn, user, data, publish=True)

    async def reject_story(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.moderate(turn, user, data, publish=False)

    async def applaud(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = Texts(self.services.translate, None if _in_channel(turn) else user.identity.locale)
        story_id = record_id(data.get("story_id"))
        if story_id is None:
            return CardReply(message=t("card.action_unknown"))
        teams_user_id, now = user.identity.teams_user_id, self.now()

        story = await self.db(applaud, story_id, teams_user_id, now)
        if story is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=story_card(t, story, for_lead=user.role is Role.PROGRAM_LEAD and not _in_channel(turn)))

    async def story_of_month(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        story_id = record_id(data.get("story_id"))
        if story_id is None:
            return CardReply(message=t("card.action_unknown"))
        today, now = self.program_today(), self.now()
        choice = await self.db(choose_story_of_month, self.messaging, story_id, name_of(user), today, now)
        story = await self.db(queries.story, story_id)
        if choice.outcome is MonthOutcome.TAKEN:
            return CardReply(message=t("story.month_taken", title=choice.title or "—", lead=choice.chosen_by or "—"))
        if choice.outcome is MonthOutcome.NOT_PUBLISHED or story is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=story_card(t, story, for_lead=True, notice=t("story.month_chosen")))

    async def story_channel(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        if not _in_channel(turn):
            await turn.say(t("channel.only_in_channel"))
            return
        channel = turn.conversation_id
        by, now = name_of(user), self.now()

        await self.db(add_story_channel, channel, by, now)
        await turn.say(t("story.channel_saved"))

    # --- kudos ----------------------------------------------------------------------------

    async def kudos(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        mentioned = turn.mentioned_people()
        try:
            request = parse_kudos(
                _without_mentions(argument, [name for _, name in mentioned]) if mentioned else argument
            )
            if mentioned:
                teams_id, name = mentioned[0]
                champion_id = await self.db(queries.champion_id_of, teams_id)
                if champion_id is None:
                    raise AnswerError("kudos.not_a_champion", name=name)
                # The name as the directory knows it (a mention may carry a nickname, or none).
                name = await self.db(queries.display_name_of, teams_id) or name
            else:
                champion_id, name, _ = await self.champion_named(request.who)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return
        giver = user.identity.teams_user_id
        now = self.now()
        today = now.astimezone(zone(user.identity.timezone, self.services.timezone)).date()
        outcome = await self.db(give_kudos, self.messaging, giver, champion_id, request.what, today, now)
        limit = (await self.db(queries.recognition_settings)).kudos_per_day
        key = {
            KudosOutcome.SENT: "kudos.sent",
            KudosOutcome.SELF: "kudos.self",
            KudosOutcome.LIMIT: "kudos.limit",
            KudosOutcome.UNKNOWN_GIVER: "card.action_unknown",
        }[outcome]
        await turn.say(t(key, name=name, limit=limit))

    async def recent_kudos(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        recent = await self.db(queries.recent_kudos)
        if not recent:
            await turn.say(t("kudos.none"))
            return
        lines = [
            t(
                "kudos.line",
                when=when.astimezone(ZoneInfo(self.services.timezone)).date(),
                giver=giver,
                name=name,
                message=message,
            )
            for giver, name, message, when in recent
        ]
        await turn.say(t("kudos.recent") + "\n\n" + "\n".join(f"- {line}" for line in lines))

    # --- points and leaderboards ----------------------------------------------------------

    def _period_words(self) -> dict[str, Period]:
        translate = self.services.translate
        return {
            " ".join(word.casefold().split()): period
            for period in Period
            for words in translate.in_every_language(f"period.{period.value}.words")
            for word in words.split("|")
        }

    async def leaderboard(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        seasons = await self.db(queries.seasons)
        words = argument.split()
        season_words = {word.casefold() for word in self.services.translate.words("season.words")}
        season = season_at(seasons, self.now()) if not words else None
        if words and words[0].casefold() in season_words:
            name = " ".join(words[1:])
            season = season_called(seasons, name) if name else season_at(seasons, self.now())
            if season is None:
                known = ", ".join(plain(known.name) for known in seasons) or "—"
                await turn.say(t("season.unknown", name=plain(name) or "—", known=known))
                return
        since: datetime | None
        if season is not None:
            label, since, until = t("season.label", season=plain(season.name)), season.starts_at, season.ends_at
        else:
            try:
                period = parse_period(argument, self._period_words())
            except AnswerError as error:
                await turn.say(t(error.reason, **error.params))
                return
            tz = ZoneInfo(self.services.timezone)
            start = period_start(period, self.program_today())
            since = datetime.combine(start, datetime.min.time(), tzinfo=tz).astimezone(UTC) if start else None
            label, until = t(f"period.{period.value}"), None
        teams_user_id = user.identity.teams_user_id

        board, own_id = await self.db(queries.board_for, teams_user_id, since, until)
        own: Ranked | None = next((entry for entry in board.champions if entry.key == own_id), None)
        card = leaderboard_card(
            t,
            label,
            board.champions[:10],
            board.departments_total[:10],
            board.departments_per_champion[:10],
            own,
            own_id is not None,
        )
        await turn.send_card(card)

    async def seasons(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        seasons = await self.db(queries.seasons)
        if not seasons:
            await turn.say(t("season.none"))
            return
        lines = []
        for season in reversed(seasons):
            first = t.day(season.starts_at.astimezone(ZoneInfo(t.timezone)).date())
            if season.ends_at is None:
                lines.append(t("season.current", season=plain(season.name), since=first))
            else:
                last = t.day((season.ends_at - timedelta(microseconds=1)).astimezone(ZoneInfo(t.timezone)).date())
                lines.append(t("season.past", season=plain(season.name), since=first, until=last))
        await turn.say(t("season.list") + "\n\n" + "\n".join(f"- {line}" for line in lines))

    async def new_season(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        try:
            name = season_name(argument)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return
        outcome = await self.db(start_season, self.messaging, name, name_of(user), self.now())
        await turn.say(t(f"season.{outcome.value}", season=plain(name)))

    async def my_points(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id
        found = await self.db(queries.points_of, teams_user_id, self.services.timezone)
        if found is None:
            await turn.say(t("checkin.champions_only"))
            return
        await turn.send_card(points_card(t, *found))

    async def hide_me(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        changed = await self.db(hide_from_leaderboards, user.identity.teams_user_id, True, self.now())
        await turn.say(t("opt_out.hidden" if changed else "opt_out.already_hidden"))

    async def show_me(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        changed = await self.db(hide_from_leaderboards, user.identity.teams_user_id, False, self.now())
        await turn.say(t("opt_out.shown" if changed else "opt_out.already_shown"))

    async def change_points(self, turn: Turn, user: UserContext, argument: str, *, revoke: bool) -> None:
        t = self.texts(user)
        try:
            change = parse_points_change(argument)
            champion_id, name, _ = await self.champion_named(change.who)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return
        points = -change.points if revoke else change.points
        by, now = name_of(user), self.now()

        total = await self.db(adjust_points, self.messaging, champion_id, points, change.reason, by, now)
        key = "points.revoked" if revoke else "points.awarded"
        await turn.say(t(key, points=change.points, name=name, reason=change.reason, total=total))

    async def award_points(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self.change_points(turn, user, argument, revoke=False)

    async def revoke_points(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self.change_points(turn, user, argument, revoke=True)

    # --- settings -------------------------------------------------------------------------

    async def settings(self, turn: Turn, user: UserContext, _argument: str) -> None:
        current = await self.db(queries.recognition_settings)
        await turn.send_card(recognition_settings_card(self.texts(user), current))

    async def save_settings(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        current = await self.db(queries.recognition_settings)
        try:
            changed = parse_recognition_settings(data, current)
        except AnswerError as error:
            return CardReply(card=recognition_settings_card(t, current, notice=t(error.reason), error=True))
        by, now = name_of(user), self.now()
        await self.db(save_settings, changed, by, now)
        return CardReply(card=recognition_settings_card(t, changed, notice=t("settings.saved")))


def _in_channel(turn: Turn) -> bool:
    return turn.in_channel


def _without_mentions(text: str, names: list[str]) -> str:
    """'@Rita for the demo' once the mention is resolved: keep a placeholder for the person."""
    for name in names:
        text = text.replace(f"<at>{name}</at>", "").replace(name, "")
    return "them " + " ".join(text.split())
