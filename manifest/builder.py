"""Writes the Teams app package: manifest.json (app id filled in) + the two icons, zipped."""

from __future__ import annotations

import json
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
ICONS = ("color.png", "outline.png")


class ManifestError(ValueError):
    pass


def _template() -> dict[str, Any]:
    return json.loads((resources.files("manifest") / "manifest.template.json").read_text(encoding="utf-8"))


def render_manifest(app_id: str, domain: str, version: str) -> dict[str, Any]:
    """The manifest for this deployment; raises ManifestError on values Teams would reject."""
    if not GUID.match(app_id or ""):
        raise ManifestError("the Microsoft App ID must be a GUID (set MicrosoftAppId or pass --app-id)")
    domain = domain.strip().lower()
    if not HOST_NAME.match(domain):
        raise ManifestError(f"{domain!r} is not a host name such as champions.contoso.com (no scheme, no path)")
    if not SEMVER.match(version):
        raise ManifestError(f"version {version!r} must look like 1.2.3")
    manifest = _template()
    manifest["id"] = app_id
    manifest["version"] = version
    manifest["bots"][0]["botId"] = app_id
    manifest["validDomains"] = [domain]
    manifest["developer"].update(
        websiteUrl=f"https://{domain}/", privacyUrl=f"https://{domain}/privacy", termsOfUseUrl=f"https://{domain}/terms"
    )
    return manifest


def build_package(app_id: str, domain: str, version: str, output: Path) -> Path:
    manifest = render_manifest(app_id, domain, version)
    output.parent.mkdir(parents=True, exist_ok=True)
    package = resources.files("manifest")
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Teams wants the three files at the root of the zip, not in a folder.
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.writestr(icon, (package / icon).read_bytes())
    return output
