"""Announcement cards: the lead's compose card, the preview with its reach, what people get,
and the delivery and engagement figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from domain.i18n import Texts
from domain.outbox import DeliveryFigures
from features.announcements.domain import MAX_TEXT, Announcement, AudienceKind, Draft, Status
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    fact_set,
    open_url_action,
    plain,
    text_block,
)

PREVIEW = "announcements.preview"
SEND = "announcements.send"
EDIT = "announcements.edit"
ACKNOWLEDGE = "announcements.ack"
ANNOUNCEMENT_FIELD = "announcement"


def _text_input(element_id: str, label: str, value: str, **extra: Any) -> Element:
    return {"type": "Input.Text", "id": element_id, "label": label, "value": value, **extra}


def compose_card(
    t: Texts, draft: Draft | None, announcement_id: int | None = None, notice: str = "", timezone: str = "UTC"
) -> Card:
    """Every input labelled; the audience's departments or offices are typed, comma-separated;
    the time to send is in the program's zone (`timezone`)."""
    audience = draft.audience if draft else None
    send_at = draft.send_at.astimezone(ZoneInfo(timezone)) if draft and draft.send_at else None
    body: list[Element] = [text_block(t("announce.title"), weight="Bolder", size="Medium")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    kinds = [(kind.value, t(f"announce.audience.{kind.value}")) for kind in AudienceKind]
    body += [
        _text_input("text", t("announce.text"), draft.text if draft else "", isMultiline=True, maxLength=MAX_TEXT),
        choice_input("audience", t("announce.audience"), kinds, audience.kind.value if audience else "champions"),
        _text_input(
            "units", t("announce.units"), ", ".join(audience.units) if audience else "", placeholder="Sales, Service"
        ),
        _text_input("image_url", t("announce.image_url"), draft.image_url if draft else "", placeholder="https://"),
        _text_input("image_alt", t("announce.image_alt"), draft.image_alt if draft else ""),
        _text_input("link_title", t("announce.link_title"), draft.link_title if draft else ""),
        _text_input("link_url", t("announce.link_url"), draft.link_url if draft else "", placeholder="https://"),
        {
            "type": "Input.Date",
            "id": "send_date",
            "label": t("announce.send_date"),
            "value": send_at.date().isoformat() if send_at else "",  # machine
        },
        {
            "type": "Input.Time",
            "id": "send_time",
            "label": t("announce.send_time"),
            "value": send_at.strftime("%H:%M") if send_at else "",  # machine
        },
    ]
    data = {ANNOUNCEMENT_FIELD: announcement_id} if announcement_id else {}
    return adaptive_card(body, [execute_action(t("announce.preview"), PREVIEW, data)])


def announcement_body(t: Texts, draft: Draft) -> list[Element]:
    """What people read: the lead's words (their formatting kept) and the picture."""
    body = [text_block(draft.text)]
    if draft.image_url:
        body.append({"type": "Image", "url": draft.image_url, "altText": draft.image_alt or t("announce.picture")})
    return body


def announcement_card(t: Texts, draft: Draft, link: str | None, acknowledge: dict[str, Any] | None) -> Card:
    actions = []
    if draft.link_url:
        actions.append(open_url_action(draft.link_title, link or draft.link_url))
    if acknowledge is not None:
        actions.append(execute_action(t("announce.got_it"), ACKNOWLEDGE, acknowledge))
    return adaptive_card(announcement_body(t, draft), actions)


def preview_card(t: Texts, announcement: Announcement, people: int, channels: int, when: str) -> Card:
    draft = announcement.draft
    audience = t(f"announce.audience.{draft.audience.kind.value}")
    if draft.audience.units:
        audience += f": {', '.join(plain(unit) for unit in draft.audience.units)}"
    reach = t("announce.reach_channels", count=channels) if channels else t("announce.reach_people", count=people)
    body: list[Element] = [
        text_block(t("announce.preview_title"), weight="Bolder", size="Medium"),
        {"type": "Container", "style": "emphasis", "items": announcement_body(t, draft)},
        fact_set([(t("announce.audience"), audience), (t("announce.reach"), reach), (t("announce.when"), when)]),
    ]
    if draft.link_url:
        body.append(
            text_block(t("announce.button", title=plain(draft.link_title), url=plain(draft.link_url)), isSubtle=True)
        )
    data = {ANNOUNCEMENT_FIELD: announcement.id}
    send_title = t("announce.schedule") if draft.send_at else t("announce.send")
    return adaptive_card(body, [execute_action(send_title, SEND, data), execute_action(t("announce.edit"), EDIT, data)])


def figures_card(t: Texts, rows: Sequence[tuple[Announcement, DeliveryFigures]]) -> Card:
    body: list[Element] = [text_block(t("announce.list_title"), weight="Bolder", size="Medium")]
    for announcement, figures in rows:
        first_line = announcement.draft.text.splitlines()[0] if announcement.draft.text else ""
        when = (
            t.moment(announcement.sent_at)
            if announcement.sent_at
            else t.moment(announcement.draft.send_at)
            if announcement.draft.send_at
            else "—"
        )
        body.append(
            text_block(
                f"{plain(first_line, 80)} ({t(f'announce.status.{announcement.status.value}')}, {when})",
                weight="Bolder",
                separator=True,
                spacing="Medium",
            )
        )
        if announcement.status is Status.SENT:
            body.append(
                fact_set(
                    [
                        (t("announce.figure.recipients"), t.number(announcement.recipients)),
                        (t("announce.figure.reached"), t.number(figures.sent)),
                        (t("announce.figure.waiting"), t.number(figures.waiting)),
                        (t("announce.figure.unreachable"), t.number(figures.unreachable)),
                        (t("announce.figure.failed"), t.number(figures.failed)),
                        (t("announce.figure.acknowledged"), t.number(announcement.acknowledged)),
                        (t("announce.figure.clicked"), t.number(announcement.clicked)),
                    ]
                )
            )
    body.append(text_block(t("announce.no_read_receipts"), isSubtle=True, size="Small"))
    return adaptive_card(body)
