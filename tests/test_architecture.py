"""The import direction bot/ → handlers/ → classifiers/, storage/ and the platform boundary, checked on the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "classifiers", "storage")
FORBIDDEN = {
    "classifiers": {"bot", "handlers", "storage", "telegram", "aiohttp", "sqlmodel", "sqlalchemy", "alembic"},
    "storage": {"bot", "handlers", "classifiers", "telegram", "aiohttp"},
    "handlers": {"bot", "storage", "telegram", "aiohttp", "sqlmodel", "sqlalchemy", "alembic"},
    "bot": set(),
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules_of(layer: str) -> list[Path]:
    return sorted(p for p in (ROOT / layer).rglob("*.py") if "migrations" not in p.parts or layer == "storage")


@pytest.mark.parametrize("layer", LAYERS)
def test_architecture_layer_imports_only_downwards(layer):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[layer]) for path in modules_of(layer)
    }
    offenders = {name: bad for name, bad in offenders.items() if bad}
    assert offenders == {}, f"{layer}/ must not import these: {offenders}"


def test_architecture_telegram_only_in_its_adapter():
    users = [
        str(path.relative_to(ROOT))
        for layer in LAYERS
        for path in modules_of(layer)
        if "telegram" in imported_roots(path)
    ]
    assert all(name.startswith("bot/adapters/telegram") for name in users), users


def test_architecture_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom handlers.model import Action\nfrom . import sibling\n", encoding="utf-8")
    assert imported_roots(bad) == {"os", "handlers"}
