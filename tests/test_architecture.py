"""The house in wings, drawn from the imports: every zi_data module sits in a wing whose __init__.py says what it
owns and which wings it may import; no import breaks that, no cycle, no module over 400 lines, no folder over 15
modules, and the top of zi_data holds only wings and a few modules."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zi_data"
SCHEMA_SCRIPTS = PACKAGE / "store" / "schema" / "versions"
MAX_LINES, MAX_MODULES_IN_A_FOLDER, MAX_TOP_MODULES = 400, 15, 5


def modules() -> dict[str, Path]:
    """Dotted name ('zi_data.store.database') -> file, for every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if path.name == "__init__.py":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The zi_data modules that the module `name` in `path` imports (a package counts as its __init__)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {target for target in targets if target in known and target != name}


def wing_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""


def allowed_wings() -> dict[str, set[str]]:
    """What each wing's __init__.py says it may import ("May import: a, b." / "nothing of zi_data" / "every wing")."""
    wings = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    allowed = {}
    for wing in wings:
        said = re.search(r"May import: ([^.]+)\.", (PACKAGE / wing / "__init__.py").read_text())
        assert said, f"zi_data/{wing}/__init__.py does not say what it may import"
        text = said.group(1)
        allowed[wing] = (wings if text == "every wing" else set() if text == "nothing of zi_data"
                         else {item.strip() for item in text.split(",")})
    return allowed


def test_every_wing_says_what_it_owns_and_imports_only_what_it_may():
    known, allowed = modules(), allowed_wings()
    assert set(allowed) == {"base", "files", "plan", "store", "reporting", "evidence", "realisasi", "monev", "lke",
                            "cli"}
    upward = []
    for name, path in known.items():
        wing = wing_of(name)
        if not wing:
            continue
        for target in imported(path, name, known):
            other = wing_of(target)
            if other and other != wing and other not in allowed[wing]:
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_no_module_imports_another_in_a_cycle():
    known = modules()
    graph = {name: imported(path, name, known) - {name.rsplit(".", 1)[0]} for name, path in known.items()}
    state: dict[str, int] = {}

    def visit(name, trail):
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail[trail.index(target):] + [target]))
            if target not in state:
                visit(target, trail + [target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_zi_data_never_imports_streamlit_or_the_pages():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in names if name.split(".")[0] in ("streamlit", "app_pages")}, path


def test_modules_are_small_folders_hold_few_and_the_top_holds_only_wings():
    too_long = {str(path.relative_to(ROOT)): lines for path in PACKAGE.rglob("*.py")
                if path.parent != SCHEMA_SCRIPTS and (lines := len(path.read_text().splitlines())) > MAX_LINES}
    assert too_long == {}
    crowded = {str(folder.relative_to(ROOT)): count for folder in [PACKAGE, *PACKAGE.rglob("*/")]
               if folder.is_dir() and folder != SCHEMA_SCRIPTS
               and (count := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > MAX_MODULES_IN_A_FOLDER}
    assert crowded == {}
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES and top == ["__init__.py", "__main__.py"]
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
    assert all((PACKAGE / folder / "__init__.py").exists() for folder in folders), folders


def test_app_pages_hold_the_pages_over_their_frame_and_parts():
    """app_pages/: the pages of the registry (one file each) at the top, over parts/ and frame/; a part never imports
    a page, the frame never imports a part or a page."""
    from app_pages.frame.registry import PAGES

    pages_dir = ROOT / "app_pages"
    assert sorted(path.name for path in pages_dir.glob("*.py")) == sorted(Path(page.file).name for page in PAGES)
    layer = {"frame": 0, "parts": 1, "": 2}
    wrong = []
    for path in pages_dir.rglob("*.py"):
        here = path.parent.name if path.parent != pages_dir else ""
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app_pages"):
                parts = node.module.split(".")
                there = parts[1] if len(parts) > 1 and parts[1] in layer else ""
                if layer[there] >= layer[here] and there != here or (here == "" and there == ""):
                    wrong.append(f"{path.relative_to(ROOT)} -> {node.module}")
    assert wrong == []


def test_what_the_progress_store_calls_works_on_a_connection_and_the_audit_writer_needs_no_openpyxl():
    """The store calls plan_history, progress_rows, ledgers and rollup with a connection and a ledger id: none of them
    takes a store (a parameter named `store`) or imports the store, so nothing calls back into it (issue 22's hidden
    cycle). The audit writer, imported by every writer, reaches openpyxl through no module it imports."""
    known = modules()
    for name in ("zi_data.store.plan_history", "zi_data.store.progress_rows", "zi_data.store.ledgers",
                 "zi_data.store.rollup"):
        tree = ast.parse(known[name].read_text())
        takes_a_store = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                         and "store" in {arg.arg for arg in node.args.args + node.args.kwonlyargs}]
        assert takes_a_store == [] and "zi_data.store.progress_store" not in imported(known[name], name, known), name
    reached, waiting = set(), ["zi_data.store.audit"]
    while waiting:
        name = waiting.pop()
        reached.add(name)
        waiting += [target for target in imported(known[name], name, known) if target not in reached]
    uses_openpyxl = [name for name in sorted(reached) if "openpyxl" in imported_packages(known[name])]
    assert uses_openpyxl == []


def imported_packages(path: Path) -> set[str]:
    """The top-level names of every package a module imports (absolute imports)."""
    tree = ast.parse(path.read_text())
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
    return {name.split(".")[0] for name in names}
