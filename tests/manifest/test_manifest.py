"""The Teams app package: schema-valid manifest, correct icons, app id filled in."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from app import main, manifest_texts
from bot.assembly import command_catalog, translator_for
from features.installed import INSTALLED_FEATURES
from manifest.builder import ManifestError, build_package, render_manifest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
VALIDATOR = ROOT / "manifest" / "validate.mjs"
NODE_MODULES = ROOT / "manifest" / "node_modules" / "@microsoft" / "app-manifest"


def validate_with_official_schema(
    manifest: dict, tmp_path: Path, localizations: dict[str, dict] | None = None
) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "node is needed to validate the manifest (scripts/test.sh installs it)"
    assert NODE_MODULES.is_dir(), "run `npm ci --prefix manifest` (scripts/test.sh does)"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    files = []
    for name, strings in (localizations or {}).items():
        files.append(tmp_path / name)
        files[-1].write_text(json.dumps(strings, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [node, str(VALIDATOR), str(path), *map(str, files)], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def package(tmp_path) -> zipfile.ZipFile:
    menu, app_texts = manifest_texts(translator_for(INSTALLED_FEATURES), INSTALLED_FEATURES)
    path = build_package(APP_ID, "champions.contoso.example", "1.2.3", tmp_path / "appPackage.zip", menu, app_texts)
    return zipfile.ZipFile(path)


def test_package_holds_the_manifest_its_translations_and_two_icons_at_the_root(package):
    assert sorted(package.namelist()) == ["color.png", "it.json", "manifest.json", "outline.png", "th.json"]


def test_built_manifest_and_its_translations_are_valid_against_the_official_schemas(package, tmp_path):
    manifest = json.loads(package.read("manifest.json"))
    localizations = {name: json.loads(package.read(name)) for name in ("it.json", "th.json")}
    result = validate_with_official_schema(manifest, tmp_path, localizations)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "v1.19" in result.stdout and "2 localization files" in result.stdout
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "it-it", "file": "it.json"},
        {"languageTag": "th-th", "file": "th.json"},
    ]


def test_the_command_menu_lists_each_scopes_main_commands_in_every_language(package):
    manifest = json.loads(package.read("manifest.json"))
    personal, teams = manifest["bots"][0]["commandLists"]
    assert personal["scopes"] == ["personal"] and sorted(teams["scopes"]) == ["groupChat", "team"]
    titles = [command["title"] for command in personal["commands"]]
    assert titles[:2] == ["help", "status"] and {"who is my champion", "join", "leaderboard"} <= set(titles)
    assert 3 < len(titles) <= 10 and 3 < len(teams["commands"]) <= 10
    assert {"leaderboard", "use this channel"} <= {command["title"] for command in teams["commands"]}

    # A menu title is sent as the message when picked: it must run its command, in its language.
    translate = translator_for(INSTALLED_FEATURES)
    catalog = command_catalog(translate, INSTALLED_FEATURES)
    italian = json.loads(package.read("it.json"))
    thai = json.loads(package.read("th.json"))
    for strings in (italian, thai):
        menu_titles = [text for key, text in strings.items() if key.endswith(".title")]
        assert len(menu_titles) == len(personal["commands"]) + len(teams["commands"])
        for title in menu_titles:
            assert catalog.match(title) is not None, title
    assert italian["bots[0].commandLists[0].commands[0].title"] == "aiuto"
    assert italian["description.short"].startswith("Trova il tuo champion")
    for command in personal["commands"]:
        assert catalog.match(command["title"]) is not None, command["title"]


def test_the_validator_does_reject_a_broken_manifest(package, tmp_path):
    manifest = json.loads(package.read("manifest.json"))
    manifest["bots"][0]["scopes"] = ["everywhere"]
    result = validate_with_official_schema(manifest, tmp_path)
    assert result.returncode == 1
    assert "/bots/0/scopes/0" in result.stdout


def test_app_id_domain_and_version_are_filled_in(package):
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["version"] == "1.2.3"
    assert manifest["validDomains"] == ["champions.contoso.example"]
    assert manifest["developer"]["privacyUrl"] == "https://champions.contoso.example/privacy"
    assert sorted(manifest["bots"][0]["scopes"]) == ["groupChat", "personal", "team"]
    assert float(manifest["manifestVersion"]) >= 1.19


def test_icons_have_the_sizes_teams_requires(package):
    color = Image.open(io.BytesIO(package.read("color.png")))
    outline = Image.open(io.BytesIO(package.read("outline.png")))
    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))
    assert outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    # Outline: white on a transparent background, nothing else.
    assert any(alpha == 0 for *_rgb, alpha in pixels)
    assert all(alpha == 0 or (r, g, b) == (255, 255, 255) for r, g, b, alpha in pixels)


@pytest.mark.parametrize(
    ("app_id", "domain", "version", "reason"),
    [
        ("", "champions.contoso.example", "1.0.0", "GUID"),
        ("not-a-guid", "champions.contoso.example", "1.0.0", "GUID"),
        (APP_ID, "https://champions.contoso.example/", "1.0.0", "host name"),
        (APP_ID, "champions.contoso.example", "v1", "1.2.3"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(app_id, domain, version, reason):
    with pytest.raises(ManifestError, match=reason):
        render_manifest(app_id, domain, version)


def test_package_command(tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("MicrosoftAppId", "")
    output = tmp_path / "out" / "appPackage.zip"
    code = main(["package", "--app-id", APP_ID, "--domain", "champions.contoso.example", "--output", str(output)])
    assert code == 0
    assert zipfile.ZipFile(output).namelist()
    assert sorted(zipfile.ZipFile(output).namelist()) == [
        "color.png",
        "it.json",
        "manifest.json",
        "outline.png",
        "th.json",
    ]
    # Local mode has no app id: say what is needed instead of failing on a GUID check.
    assert main(["package", "--domain", "champions.contoso.example", "--output", str(output)]) == 2
    assert "needs your Azure Bot's Microsoft App ID" in caplog.text and "--app-id" in caplog.text
