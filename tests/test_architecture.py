"""Dependencies point one way: domain <- storage, dialogs, bot <- app.

botbuilder stays inside bot/ and dialogs/ so that moving to the Microsoft 365 Agents SDK
is a local change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDK = ("botbuilder", "botframework", "msrest")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (
        *SDK,
        "aiohttp",
        "apscheduler",
        "sqlalchemy",
        "sqlmodel",
        "alembic",
        "storage",
        "bot",
        "dialogs",
        "app",
        "scheduling",
        "config",
    ),
    "storage": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "app", "scheduling"),
    "dialogs": ("aiohttp", "app", "bot", "scheduling"),
    "scheduling": (*SDK, "aiohttp", "bot", "dialogs", "app"),
    "bot": ("app",),
    "views": (
        *SDK,
        "aiohttp",
        "apscheduler",
        "sqlalchemy",
        "sqlmodel",
        "storage",
        "bot",
        "dialogs",
        "app",
        "scheduling",
    ),
    "workflows": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "app", "scheduling"),
    "manifest": (*SDK, "aiohttp", "storage", "bot", "dialogs", "domain"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_sdk_is_imported_only_in_bot_and_dialogs():
    allowed = {"bot", "dialogs", "tests"}
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in allowed or relative.parts[0].startswith("."):
            continue
        offenders += [f"{relative} imports {m}" for m in imported_modules(path) if m.split(".")[0] in SDK]
    assert offenders == []


def test_memory_storage_is_not_used_outside_tests():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in ("tests",)
        and not path.relative_to(ROOT).parts[0].startswith(".")
        and "MemoryStorage" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
