"""Small, documented corrections to the archived Bot Framework SDK (botbuilder 4.17), applied once.

Each one is a cost or a failure seen in this bot; each keeps the SDK's behaviour otherwise.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def apply() -> None:
    # msrest builds its retry policy for every connector client, and CloudAdapter makes one
    # per turn: `[i for i in range(999) if i not in safe_codes]` with a 502-element list
    # costs about 4 ms of event-loop time each time. A frozenset gives the same codes.
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]
