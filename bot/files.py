"""Serves the files features keep, behind the signed links `storage.links` makes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from urllib.parse import quote

from aiohttp import web
from sqlmodel import Session

from bot.services import BotServices
from storage.links import ServedFile, subject_of_link

# How a feature reads one of its files by id, in a transaction (None: gone, e.g. erased).
FileReader = Callable[[Session, int], ServedFile | None]


class FileLinks:
    def __init__(self, services: BotServices, readers: Mapping[str, FileReader]) -> None:
        self._services = services
        self._readers = dict(readers)

    async def download(self, request: web.Request) -> web.StreamResponse:
        kind, token = request.match_info.get("kind", ""), request.match_info.get("token", "")
        read = self._readers.get(kind)
        if read is None:
            return _not_found()
        now = self._services.clock.now()

        def work(session: Session) -> ServedFile | None:
            subject = subject_of_link(session, kind, token, now)
            return read(session, subject) if subject is not None else None

        served = await self._services.database.run(work)
        if served is None:
            return _not_found()
        if served.redirect is not None:
            return web.Response(
                status=int(HTTPStatus.FOUND),
                headers={
                    "Location": served.redirect,
                    "Cache-Control": "private, no-store",
                    "Referrer-Policy": "no-referrer",
                },
            )
        disposition = "attachment" if served.download else "inline"
        # aiohttp takes the charset apart from the type ("text/csv; charset=utf-8").
        content_type, _, parameters = served.content_type.partition(";")
        charset = parameters.strip().removeprefix("charset=") or None
        return web.Response(
            body=served.body,
            content_type=content_type.strip(),
            charset=charset,
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(served.name, safe='')}",
                "Cache-Control": "private, no-store",
                # The file is what it says it is, and nothing a browser should run.
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )


def _not_found() -> web.Response:
    status = HTTPStatus.NOT_FOUND
    return web.json_response(
        {"error": status.phrase, "detail": "this link has expired or the file is gone"}, status=int(status)
    )
