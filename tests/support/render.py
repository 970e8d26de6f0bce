"""Cards rendered by Microsoft's Adaptive Cards renderer (the `adaptivecards` npm package) in
real headless Chromium: what a host without Teams' chart elements shows.

`bash scripts/test.sh` installs both (Debian's chromium; the package from tests/render's lock
file). Where either is missing, a test that needs them skips, except under CI, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

RENDERER = (
    Path(__file__).resolve().parents[1] / "render" / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"
)
# Flags for a headless run on a machine without a network or a screen.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    "--virtual-time-budget=5000",
)
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>card</title>
<script src="{renderer}"></script></head>
<body style="width: 560px; font-family: sans-serif">
<div id="card"></div>
<script>
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse({card});
  const rendered = card.render();
  document.getElementById("card").appendChild(rendered);
  document.body.dataset.rendered = rendered ? "yes" : "no";
</script></body></html>
"""


@dataclass(frozen=True)
class Rendered:
    rendered: bool
    texts: list[str]  # the visible texts, in order
    screenshot: Path


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None or not RENDERER.exists():
        missing = "Debian's chromium" if found is None else "the adaptivecards package (npm ci in tests/render)"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is not installed: scripts/test.sh installs it")
        pytest.skip(f"{missing} is not installed: bash scripts/test.sh installs it")
    return found


def render(card: dict[str, Any], folder: Path) -> Rendered:
    browser = chromium()
    page = folder / "card.html"
    page.write_text(PAGE.format(renderer=RENDERER.as_uri(), card=json.dumps(card)), encoding="utf-8")
    profile = folder / "profile"
    common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    screenshot = folder / "card.png"
    subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=600,1600", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    texts = _Texts()
    texts.feed(dom)
    return Rendered('data-rendered="yes"' in dom, texts.found, screenshot)


class _Texts(HTMLParser):
    """The text nodes of the rendered body, scripts left out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.found.append(data.strip())
