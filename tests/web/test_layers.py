"""Each Django app is one bounded context, and dependencies between them run one way:
mydata → family, couple → relationships → practice → assessments → accounts (interop beside
relationships); the site modules (home, access, charts, storage) sit beside them, and ``core``
never imports Django or the web app."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "safebase" / "web"
ALLOWED = {  # which other apps each app may import
    "accounts": set(),
    "assessments": {"accounts"},
    "practice": {"accounts", "assessments"},
    "mydata": {
        "accounts",
        "assessments",
        "practice",
        "relationships",
        "couple",
        "clinic",
        "family",
    },
    "couple": {"accounts", "assessments", "practice", "relationships"},
    "family": {"accounts", "assessments", "practice", "relationships"},
    "relationships": {"accounts", "assessments", "practice"},
    "interop": {"accounts", "assessments", "practice"},
    "reports": {"accounts", "assessments", "practice"},
    "clinic": {"accounts", "assessments", "practice", "relationships", "reports", "interop"},
}
APPS = tuple(ALLOWED)


def imported_apps(app: str) -> set[str]:
    found: set[str] = set()
    for path in (WEB / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["safebase", "web"] and len(parts) > 2 and parts[2] in APPS:
                    found.add(parts[2])
    found.discard(app)
    return found


def test_every_django_app_has_its_allowed_dependencies_listed():
    apps_on_disk = {p.parent.name for p in WEB.glob("*/apps.py")}
    assert apps_on_disk == set(ALLOWED), apps_on_disk ^ set(ALLOWED)


def test_apps_depend_one_way():
    for app in APPS:
        assert imported_apps(app) <= ALLOWED[app], (app, imported_apps(app) - ALLOWED[app])


def test_core_is_free_of_django_and_the_web_app():
    core = WEB.parent / "core"
    for path in core.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path
        assert "safebase.web" not in text and "safebase.cli" not in text, path
