"""Signed links to files the bot keeps, such as a hunt's evidence picture.

The bot serves them itself (`GET /api/files/{kind}/{token}`, see `bot/files.py`): a link
names one file of one kind and works until it expires, for whoever holds it, because a
Teams client fetches a card's image without the viewer's identity. So links go only into
messages for the people meant to see the file, and live no longer than they need to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel import Session

from storage.privacy import TokenPurpose, member_of_token, signed_token

FILE_PATH = "/api/files/{kind}/{token}"


@dataclass(frozen=True, slots=True)
class ServedFile:
    name: str
    content_type: str
    body: bytes
    download: bool = False  # saved as a file, rather than shown in the browser
    # Not a file but a way on: the browser is sent here (a tracked link, e.g. an announcement's).
    redirect: str | None = None


def json_file(name: str, data: object, *, download: bool = False) -> ServedFile:
    """Data as a readable JSON file (UTF-8, indented): a hunt file, a draw's published data."""
    return ServedFile(name, "application/json", json.dumps(data, ensure_ascii=False, indent=1).encode(), download)


def _purpose(kind: str) -> str:
    return f"{TokenPurpose.FILE}:{kind}"


def file_link(session: Session, origin: str, kind: str, subject_id: int, expires_at: datetime, at: datetime) -> str:
    """The address of file `subject_id` of `kind` on this bot (`origin`: how Teams reaches it)."""
    token = signed_token(session, _purpose(kind), subject_id, expires_at, at)
    return origin + FILE_PATH.format(kind=quote(kind, safe=""), token=quote(token, safe=""))


def subject_of_link(session: Session, kind: str, token: str, at: datetime) -> int | None:
    """The file a link's token was signed for, if it is genuine, of this kind and not expired."""
    return member_of_token(session, _purpose(kind), token, at)


def redirect_to(url: str) -> ServedFile:
    """A link that counts its click, then sends the browser on to `url`."""
    return ServedFile("", "text/plain", b"", redirect=url)
