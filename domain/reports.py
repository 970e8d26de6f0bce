"""What a CSV report is, for every part that writes one (`python app.py export`)."""

from __future__ import annotations

# The header, then the rows.
Report = tuple[list[str], list[list[object]]]
