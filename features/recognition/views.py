"""Cards for stories, levels, leaderboards, points and the monthly recognition post.

Story text is shown as written: every user-provided string goes through `plain()` (markdown
escaped) into a card built as data, so neither markdown nor JSON fragments can change the card.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.i18n import Texts
from features.recognition.domain import (
    CONFIGURABLE,
    MAX_IMPACT,
    MAX_REASON,
    MAX_STORY,
    MAX_TITLE,
    Ranked,
    RecognitionSettings,
    Story,
    level_of,
)
from views.cards import (
    Card,
    Element,
    adaptive_card,
    execute_action,
    fact_set,
    number_input,
    plain,
    table,
    text_block,
    toggle_input,
)

APPLAUD_STORY = "story.applaud"
PUBLISH_STORY = "story.publish"
REJECT_STORY = "story.reject"
STORY_OF_MONTH = "story.month"
SAVE_RECOGNITION = "recognition.settings.save"
STORY_REASON_INPUT = "reason"


def _figures(t: Texts, story: Story, *, public: bool) -> list[tuple[str, str]]:
    facts = []
    if story.figures:
        facts.append((t("story.figures"), plain(story.figures)))
    else:  # stories from before figures were kept as written
        if story.hours_saved is not None:
            facts.append((t("story.hours_saved"), t.number(story.hours_saved)))
        if story.deals_closed is not None:
            facts.append((t("story.deals_closed"), t.number(story.deals_closed)))
    if story.department:
        facts.append((t("profile.department"), plain(story.department)))
    if story.focus_areas:
        facts.append((t("profile.focus_areas"), plain(", ".join(story.focus_areas))))
    colleague = t("leaderboard.a_colleague")
    if story.credited_name:
        credited = colleague if public and story.credited_hidden else plain(story.credited_name)
        facts.append((t("story.thanks_to"), credited))
    facts.append((t("story.shared_by"), colleague if public and story.author_hidden else plain(story.author_name)))
    return facts


def _story_body(t: Texts, story: Story, *, public: bool = True) -> list[Element]:
    """The story as colleagues read it (`public`: someone hidden is "a colleague"), or as leads do."""
    body: list[Element] = []
    if story.story_of_month:
        body.append(
            text_block(t("story.of_the_month", month=t.month(story.story_of_month)), color="Good", weight="Bolder")
        )
    body += [
        text_block(plain(story.title), size="Medium", weight="Bolder"),
        text_block(plain(story.body)),
        text_block(t("story.impact"), weight="Bolder", spacing="Medium"),
        text_block(plain(story.impact)),
        fact_set(_figures(t, story, public=public)),
    ]
    return body


def story_card(t: Texts, story: Story, *, for_lead: bool = False, notice: str | None = None) -> Card:
    """A published story, to react to (applause); leads may make it the story of the month."""
    body = _story_body(t, story, public=not for_lead)
    if notice:
        body.append(text_block(notice, color="Good", weight="Bolder"))
    actions = [execute_action(t("story.applaud", count=story.applause), APPLAUD_STORY, {"story_id": story.id})]
    if for_lead and not story.story_of_month:
        actions.append(execute_action(t("story.make_of_month"), STORY_OF_MONTH, {"story_id": story.id}))
    return adaptive_card(body, actions)


def story_moderation_card(t: Texts, story: Story, *, error: str | None = None, decided: str | None = None) -> Card:
    """For leads: the story in editable fields; Publish takes the fields as they are, Reject needs a reason."""
    if decided is not None:
        return adaptive_card(
            [*_story_body(t, story, public=False), text_block(decided, isSubtle=True, weight="Bolder")]
        )
    body: list[Element] = [
        text_block(t("story.moderation_title", name=plain(story.author_name)), size="Medium", weight="Bolder"),
        text_block(t("story.moderation_hint"), isSubtle=True),
    ]
    if error:
        body.append(text_block(error, color="Attention", weight="Bolder"))
    body += [
        {"type": "Input.Text", "id": "title", "label": t("story.title"), "value": story.title, "maxLength": MAX_TITLE},
        {
            "type": "Input.Text",
            "id": "body",
            "label": t("story.body"),
            "value": story.body,
            "isMultiline": True,
            "maxLength": MAX_STORY,
        },
        {
            "type": "Input.Text",
            "id": "impact",
            "label": t("story.impact"),
            "value": story.impact,
            "isMultiline": True,
            "maxLength": MAX_IMPACT,
        },
        fact_set(_figures(t, story, public=False)),
        {
            "type": "Input.Text",
            "id": STORY_REASON_INPUT,
            "label": t("approval.reason_label"),
            "placeholder": t("story.reject_placeholder"),
            "maxLength": MAX_REASON,
        },
    ]
    data = {"story_id": story.id}
    return adaptive_card(
        body,
        [
            execute_action(t("story.publish"), PUBLISH_STORY, data),
            execute_action(t("story.reject"), REJECT_STORY, data),
        ],
    )


def story_preview(t: Texts, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The form's summary before sending: what the story will look like."""
    figures = (values.get("figures") or {}).get("text")
    return [
        (t("story.title"), plain(values.get("title") or "", 120)),
        (t("story.body"), plain(values.get("body") or "", 300)),
        (t("story.impact"), plain(values.get("impact") or "", 300)),
        (t("story.figures"), plain(figures) if figures else "—"),
        (t("profile.department"), plain(values.get("department") or "—")),
        (t("profile.focus_areas"), plain(", ".join(values.get("focus_areas") or []) or "—")),
        (t("story.thanks_to"), plain((values.get("credit") or {}).get("name", "—") if values.get("credit") else "—")),
    ]


def level_post(t: Texts, name: str, level: str) -> Card:
    return adaptive_card(
        [
            text_block(
                t("level.channel_post", name=plain(name), level=t(f"level.{level}")), size="Medium", weight="Bolder"
            )
        ]
    )


def _ranking(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Element:
    """Rank, name, then figures."""
    return table(header, rows, widths=(1, 3, *([2] * (len(header) - 2))))


def _public_name(t: Texts, entry: Ranked, own_key: object = None) -> str:
    """A ranked champion's name, or "a colleague" for someone hidden (but not to themselves)."""
    return t("leaderboard.a_colleague") if entry.hidden and entry.key != own_key else plain(entry.name)


def _points(t: Texts, value: float) -> str:
    return t.number(round(value, 1))


def leaderboard_card(
    t: Texts,
    period_label: str,
    champions: Sequence[Ranked],
    by_total: Sequence[Ranked],
    per_champion: Sequence[Ranked],
    own: Ranked | None,
    own_is_champion: bool,
) -> Card:
    body: list[Element] = [text_block(t("leaderboard.title", period=period_label), size="Medium", weight="Bolder")]
    if own is not None:
        body.append(text_block(t("leaderboard.own", rank=own.rank, points=own.points), color="Good"))
    elif own_is_champion:
        body.append(text_block(t("leaderboard.own_none"), isSubtle=True))
    if not champions:
        body.append(text_block(t("leaderboard.empty")))
        return adaptive_card(body)
    own_key = own.key if own is not None else None
    body.append(
        _ranking(
            [t("leaderboard.rank"), t("leaderboard.champion"), t("leaderboard.points")],
            [[t.number(r.rank), _public_name(t, r, own_key), _points(t, r.points)] for r in champions],
        )
    )
    body.append(text_block(t("leaderboard.departments_total"), weight="Bolder", spacing="Medium"))
    body.append(
        _ranking(
            [t("leaderboard.rank"), t("profile.department"), t("leaderboard.points")],
            [[t.number(r.rank), plain(r.name), _points(t, r.points)] for r in by_total],
        )
    )
    body.append(text_block(t("leaderboard.departments_per_champion"), weight="Bolder", spacing="Medium"))
    body.append(
        _ranking(
            [t("leaderboard.rank"), t("profile.department"), t("leaderboard.per_champion")],
            [
                [t.number(r.rank), plain(r.name), f"{_points(t, r.points)} ({t.number(r.champions)})"]
                for r in per_champion
            ],
        )
    )
    return adaptive_card(body)


def points_card(t: Texts, total: int, entries: Sequence[tuple[date, int, str, str]]) -> Card:
    """A champion's points, level and latest ledger entries (when, points, why, note)."""
    level = level_of(total)
    body: list[Element] = [
        text_block(t("points.title"), size="Medium", weight="Bolder"),
        fact_set(
            [
                (t("points.total"), t.number(total)),
                (t("points.level"), t(f"level.{level.key}") if level else t("points.no_level")),
            ]
        ),
    ]
    if entries:
        body.append(
            fact_set(
                (
                    f"{t.day(when)}  {t.signed(points)}",
                    t(f"points.reason.{reason}") + (f": {plain(note, 120)}" if note else ""),
                )
                for when, points, reason, note in entries
            )
        )
    return adaptive_card(body)


def monthly_post(
    t: Texts,
    month: str,
    top: Sequence[Ranked],
    story: Story | None,
    levels: Sequence[tuple[str, str]],
    season: str | None = None,
) -> Card:
    body: list[Element] = [text_block(t("monthly.title", month=t.month(month)), size="Large", weight="Bolder")]
    if season:
        body.append(text_block(t("monthly.season", season=plain(season)), isSubtle=True, spacing="None"))
    if top:
        body.append(text_block(t("monthly.top"), weight="Bolder", spacing="Medium"))
        body.append(
            fact_set((f"{r.rank}. {_public_name(t, r)}", t("leaderboard.points_figure", points=r.points)) for r in top)
        )
    if story is not None:
        body.append(text_block(t("monthly.story"), weight="Bolder", spacing="Medium"))
        body += _story_body(t, story)
    if levels:
        body.append(text_block(t("monthly.levels"), weight="Bolder", spacing="Medium"))
        body.append(fact_set((plain(name), t(f"level.{level}")) for name, level in levels))
    if not (top or story or levels):
        body.append(text_block(t("monthly.quiet")))
    body.append(text_block(t("monthly.footer"), isSubtle=True, size="Small"))
    return adaptive_card(body)


def recognition_settings_card(
    t: Texts, settings: RecognitionSettings, *, notice: str | None = None, error: bool = False
) -> Card:
    body: list[Element] = [text_block(t("recognition.title"), size="Medium", weight="Bolder")]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    body += [
        toggle_input("moderation", t("recognition.moderation"), settings.moderation),
        toggle_input("announce_levels", t("recognition.announce_levels"), settings.announce_levels),
        number_input("kudos_per_day", t("recognition.kudos_per_day"), settings.kudos_per_day, 1, 50),
        text_block(t("recognition.points"), weight="Bolder", spacing="Medium"),
    ]
    for reason in CONFIGURABLE:
        body.append(
            number_input(
                f"points_{reason.value}", t(f"points.reason.{reason.value}"), settings.value_of(reason), 0, 10000
            )
        )
    return adaptive_card(body, [execute_action(t("settings.save"), SAVE_RECOGNITION, {})])
