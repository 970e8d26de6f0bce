"""Answers people type or pick: checked, cleaned, or refused with a reason they can act on."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from domain.commands import normalize_text

MAX_FIELD = 256


class AnswerError(ValueError):
    """A wrong answer; `reason` is a message key explaining what is expected."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def pick_from(options: Sequence[str], answer: str) -> str:
    """The option the answer names (case- and space-insensitive), or its number in the list."""
    cleaned = answer.strip()
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(options):
        return options[int(cleaned) - 1]
    wanted = normalize_text(cleaned)
    for option in options:
        if normalize_text(option) == wanted:
            return option
    raise AnswerError("answer.not_in_list", options=", ".join(options[:12]))


def pick_many(options: Sequence[str], answer: str) -> tuple[str, ...]:
    """Several options, separated by commas (a card's multi-select sends them that way)."""
    parts = [part for part in (piece.strip() for piece in answer.split(",")) if part]
    if not parts:
        raise AnswerError("answer.pick_at_least_one", options=", ".join(options[:12]))
    picked: list[str] = []
    for part in parts:
        option = pick_from(options, part)
        if option not in picked:
            picked.append(option)
    return tuple(picked)


def free_text(answer: str, limit: int = MAX_FIELD) -> str:
    cleaned = " ".join(answer.split())
    if not cleaned:
        raise AnswerError("answer.empty")
    if len(cleaned) > limit:
        raise AnswerError("answer.too_long", limit=limit)
    return cleaned


def parse_url(answer: str) -> str:
    """An https link, or "" to clear it."""
    cleaned = answer.strip()
    if not cleaned or cleaned == "-":
        return ""
    if not cleaned.startswith("https://") or " " in cleaned or len(cleaned) > 1000:
        raise AnswerError("answer.not_a_link")
    return cleaned


# The longest link a card field keeps (the columns that store links are this wide).
MAX_LINK = 2000


def https_link(value: object) -> str | None:
    """A card field's https link with a host, as typed; "" when empty, None when it is not one."""
    url = value.strip() if isinstance(value, str) else ""
    if not url:
        return ""
    parts = urlsplit(url)
    return url if parts.scheme == "https" and parts.netloc and len(url) <= MAX_LINK else None


# Database ids are 32-bit on PostgreSQL (`integer`); a card may carry anything a user typed.
MAX_RECORD_ID = 2**31 - 1


def whole_number(value: object) -> int | None:
    """A card's number as it comes back: an int, or the digits of a choice ("3"); None otherwise."""
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and len(text) <= 12 else None


def record_id(value: object) -> int | None:
    """The id of a stored record a card names, or None for anything that cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_RECORD_ID:
        return None
    return value
