"""Dependencies point one way, and a feature is a unit: the rules the layout depends on.

- The platform (bot/, dialogs/, storage/, scheduling/, manifest/, the kernel in domain/ and
  views/, config.py) never imports a feature. app.py and Alembic read the list of installed
  features, `features/installed.py`, and nothing else of them.
- botbuilder stays inside bot/ and dialogs/, so that moving to the Microsoft 365 Agents SDK
  is a local change.
- A feature's domain is plain Python: no SDK, no web server, no database.
- A feature uses another only through what that feature exports (its `__init__.py`),
  never through its storage, tables or any other module; features import each other
  without cycles.
- A feature's handlers change state only through its workflows: no database in a handler.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDK = ("botbuilder", "botframework", "msrest")
DATABASE = ("sqlalchemy", "sqlmodel", "alembic")
PLATFORM = ("bot", "dialogs", "storage", "scheduling", "manifest", "domain", "views", "config")

# What each platform package may not import. `features` is forbidden to all of them.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "bot", "dialogs", "app", "scheduling", "config"),
    "views": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "bot", "dialogs", "app", "scheduling"),
    "storage": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "app", "scheduling"),
    "dialogs": ("aiohttp", "app", "bot", "scheduling"),
    "scheduling": (*SDK, "aiohttp", "bot", "dialogs", "app"),
    "bot": ("app",),
    "manifest": (*SDK, "aiohttp", "storage", "bot", "dialogs", "domain"),
    "config": (*SDK, "bot", "dialogs", "storage", "scheduling", "app"),
}

# What a layer of a feature may not import, whatever the feature. A module belongs to a
# layer by its name: `domain.py`, or `<topic>_domain.py` once a layer is split in two.
LAYER_FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "bot", "dialogs", "scheduling", "views", "app"),
    "views": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "bot", "dialogs", "scheduling", "app"),
    "tables": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "scheduling", "app"),
    "storage": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "scheduling", "app"),
    "workflows": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "scheduling", "app"),
    # The reads a feature's handlers make, one typed function each (the other half of workflows).
    "queries": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "scheduling", "app"),
    "handlers": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "app"),
    "dialogs": (*SDK, *DATABASE, "aiohttp", "apscheduler", "storage", "app"),
    "jobs": (*SDK, "aiohttp", "bot", "dialogs", "app"),
    "reports": (*SDK, "aiohttp", "apscheduler", "bot", "dialogs", "scheduling", "app"),
}
# A feature's own modules a layer may not import: a handler reaches its data through workflows.
LAYER_FORBIDDEN_OWN: dict[str, tuple[str, ...]] = {
    "domain": ("storage", "tables", "workflows", "views", "handlers", "dialogs", "jobs"),
    "views": ("storage", "tables", "workflows", "handlers", "dialogs", "jobs"),
    "handlers": ("storage", "tables"),
    "workflows": ("handlers", "dialogs", "jobs"),
    "queries": ("handlers", "dialogs", "jobs", "views"),
}


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Absolute module names a file imports; `from package import module` counts as the module too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def top(module: str) -> str:
    return module.split(".")[0]


def feature_of(path: Path, root: Path = ROOT) -> str | None:
    relative = path.relative_to(root)
    return relative.parts[1] if relative.parts[0] == "features" and len(relative.parts) > 2 else None


def layer_of(path: Path) -> str | None:
    name = path.stem
    for layer in LAYER_FORBIDDEN:
        if name == layer or name.endswith(f"_{layer}"):
            return layer
    return None


def feature_module_parts(module: str) -> tuple[str, str | None] | None:
    """("checkins", "storage") for features.checkins.storage; ("checkins", None) for the package."""
    parts = module.split(".")
    if parts[0] != "features" or len(parts) < 2 or parts[1] in ("installed",):
        return None
    return parts[1], parts[2] if len(parts) > 2 else None


def existing_module(module: str, root: Path = ROOT) -> bool:
    base = root.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


# --- the rules, as functions that list offences (the tests assert there are none) ---------


def platform_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for package, forbidden in FORBIDDEN.items():
        paths = [root / "config.py"] if package == "config" else sorted((root / package).rglob("*.py"))
        for path in paths:
            for module in imported_modules(path):
                if top(module) in (*forbidden, "features"):
                    offences.append(f"{path.relative_to(root)} imports {module}")
    for path in (root / "app.py", root / "alembic" / "env.py"):
        for module in imported_modules(path):
            if top(module) == "features" and not module.startswith("features.installed"):
                offences.append(f"{path.relative_to(root)} imports {module} (only features.installed)")
    return offences


def sdk_offences(root: Path = ROOT) -> list[str]:
    allowed = {"bot", "dialogs", "tests"}
    offences = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in allowed or relative.parts[0].startswith("."):
            continue
        offences += [f"{relative} imports {m}" for m in imported_modules(path) if top(m) in SDK]
    return offences


def layer_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for path in sorted((root / "features").rglob("*.py")):
        feature, layer = feature_of(path, root), layer_of(path)
        if feature is None or layer is None:
            continue
        for module in imported_modules(path):
            if top(module) in LAYER_FORBIDDEN[layer]:
                offences.append(f"{path.relative_to(root)} ({layer}) imports {top(module)}")
            parts = feature_module_parts(module)
            if parts and parts[0] == feature and parts[1] is not None:
                own_layer = layer_of(Path(parts[1] + ".py"))
                if own_layer in LAYER_FORBIDDEN_OWN.get(layer, ()):
                    offences.append(f"{path.relative_to(root)} ({layer}) imports its own features.{feature}.{parts[1]}")
    return sorted(set(offences))


def cross_feature_offences(root: Path = ROOT) -> list[str]:
    """A feature reaching into another's modules; only `features.<other>` (its exports) is allowed."""
    offences = []
    for path in sorted((root / "features").rglob("*.py")):
        feature = feature_of(path, root)
        if feature is None:
            continue
        for module in imported_modules(path):
            parts = feature_module_parts(module)
            if parts is None or parts[0] == feature:
                continue
            other, inner = parts
            # `from features.recognition import award` names an export, not a module.
            if inner is not None and existing_module(f"features.{other}.{inner}", root):
                offences.append(f"{path.relative_to(root)} reaches into features.{other}.{inner}")
    return sorted(set(offences))


def feature_dependencies(root: Path = ROOT) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted((root / "features").rglob("*.py")):
        feature = feature_of(path, root)
        if feature is None:
            continue
        graph[feature]
        for module in imported_modules(path):
            parts = feature_module_parts(module)
            if parts and parts[0] != feature:
                graph[feature].add(parts[0])
    return graph


# --- tests ----------------------------------------------------------------------------


def test_the_platform_never_imports_a_feature_and_its_packages_point_one_way():
    assert platform_offences() == []


def test_the_sdk_is_imported_only_in_bot_and_dialogs():
    assert sdk_offences() == []


def test_each_layer_of_a_feature_keeps_to_its_own():
    assert layer_offences() == []


def test_a_feature_uses_another_only_through_what_it_exports():
    assert cross_feature_offences() == []


def test_features_depend_on_each_other_without_cycles():
    graph = feature_dependencies()
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        pytest.fail(f"features import each other in a cycle: {cycle.args[1]}")
    assert set(order) >= {"enrolment", "checkins", "recognition"}


def test_handlers_do_no_database_work_of_their_own():
    """`self.db(lambda s: ...)` hides database work in a handler; handlers call typed workflows."""
    offences = []
    for path in python_files("features"):
        if layer_of(path) != "handlers":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "db":
                work = node.args[0] if node.args else None
                if isinstance(work, ast.Lambda):
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} passes a lambda to db()")
    assert offences == []


def test_what_people_read_is_formatted_for_their_locale():
    """Views and handlers hand numbers and dates to `Texts` (Babel): no hand-made formats. A
    machine value (a card input's value, a typed command) says so with a `# machine` comment."""
    hand_made = ("strftime(", "isoformat()", ":g}", ":.1f}", ":+d}", ":.0f}")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("features", "views", "bot")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.stem.endswith(("views", "handlers", "dialogs", "foundation", "cards"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(mark in line for mark in hand_made) and "# machine" not in line
    ]
    assert offenders == [], "format through Texts (t.number, t.day, ...): " + ", ".join(offenders)


def test_memory_storage_is_not_used_outside_tests():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in ("tests",)
        and not path.relative_to(ROOT).parts[0].startswith(".")
        and "MemoryStorage" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# --- the rules catch what they should: each tried on a copy with one offence planted ----


@pytest.fixture
def planted(tmp_path: Path):
    """A miniature project laid out like this one, to plant one offence in."""

    def write(relative: str, source: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        return path

    for relative in ("app.py", "config.py", "alembic/env.py"):
        write(relative, "")
    for package in FORBIDDEN:
        if package != "config":
            write(f"{package}/__init__.py", "")
    write("features/__init__.py", "")
    for feature in ("alpha", "beta"):
        write(f"features/{feature}/__init__.py", "")
        for layer in ("domain", "storage", "tables", "workflows", "handlers"):
            write(f"features/{feature}/{layer}.py", "")
    return tmp_path, write


def test_a_domain_importing_the_database_or_the_sdk_is_caught(planted):
    root, write = planted
    write("features/alpha/domain.py", "from sqlmodel import Session\nfrom botbuilder.core import TurnContext\n")
    offences = layer_offences(root) + sdk_offences(root)
    assert "features/alpha/domain.py (domain) imports sqlmodel" in offences
    assert "features/alpha/domain.py imports botbuilder.core" in offences


def test_a_feature_reaching_into_another_features_storage_is_caught(planted):
    root, write = planted
    write("features/beta/workflows.py", "from features.alpha.storage import Things\n")
    assert cross_feature_offences(root) == ["features/beta/workflows.py reaches into features.alpha.storage"]


def test_the_platform_importing_a_feature_is_caught(planted):
    root, write = planted
    write("bot/assembly.py", "from features.alpha import FEATURE\n")
    write("app.py", "from features.alpha.handlers import Alpha\n")
    offences = platform_offences(root)
    assert "bot/assembly.py imports features.alpha" in offences
    assert "app.py imports features.alpha.handlers (only features.installed)" in offences


def test_importing_the_bot_leaves_the_interpreters_recursion_limit_alone():
    """A library that raises it (py_ecc does, to 100,000) turns a deeply nested request into a
    crash of the whole process instead of a clean 400."""
    import subprocess
    import sys

    code = "import sys; before = sys.getrecursionlimit(); import app; print(sys.getrecursionlimit() == before)"
    checked = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert checked.stdout.strip() == "True"
