"""The README and docs/ stay honest and complete (after datasette's tests/test_docs.py: the documentation is
checked against the code).

Every test the docs name (`tests/test_x.py::test_name`, also `::TestClass::test_name`) must exist: found by
parsing the test files with ast, never by importing or running them, so a renamed or removed test fails here.
Every row of the Security section's tables (docs/operations.md) names at least one test. Every
`python -m zi_data …` line of a bash block parses with the real parser (zi_data.cli.main.build_parser) in each form its synopsis allows: `[optional]`
parts left out and put in, `a|b` each way, placeholders such as TTTT given a value. A line whose arguments are
summed up by a top-level `…`, and a command named in the text, must name existing commands.

Complete, in datasette's manner (one test per thing the code has): every command and option of `python -m zi_data`
(walked in zi_data.cli.main.build_parser, subcommands included), every page of app_pages/frame/registry.py (its
title, in docs/user-guide.md) and every environment variable the code reads (found with ast in zi_data/,
app_pages/, dashboard.py and dev.py) is named in the docs; every module docs/architecture.md names exists and every
module of zi_data/ and app_pages/ is named there; every project path and relative link the docs give leads
somewhere. The README stays at most 200 lines.
"""

import argparse
import ast
import functools
import itertools
import re
import shlex
from pathlib import Path

import pytest

from helpers import ROOT, every_parser
from app_pages.frame.registry import PAGES
from zi_data.cli.main import build_parser

README = ROOT / "README.md"
DOCS = ROOT / "docs"
USER_GUIDE, OPERATIONS, ARCHITECTURE = DOCS / "user-guide.md", DOCS / "operations.md", DOCS / "architecture.md"
README_MAX_LINES = 200
TEST_REFERENCE = re.compile(r"\b(tests/[\w/]+\.py)((?:::\w+)*)")
SECURITY_HEADING = "## Security"
COMMAND = re.compile(r"python -m zi_data\b(.*)")
CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
PLACEHOLDERS = {"TTTT": "2025", "N": "3", "M": "10", "UPLOAD_ID": "1"}  # synopsis words that stand for a number
ELLIPSIS = "…"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def doc_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def docs_text() -> str:
    """The README and every page of docs/, one after the other (each ends its own code blocks)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in doc_files())


# --- test references ---------------------------------------------------------------------------------------

def referenced_tests(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each (file, names) the text refers to, in order, once: names is () for a bare file."""
    found = {(path, tuple(names.split("::")[1:])): None for path, names in TEST_REFERENCE.findall(text)}
    return list(found)


@functools.cache  # keyed by the source text: a file read again after a change is parsed again
def defined_tests(source: str) -> frozenset[tuple[str, ...]]:
    """The test functions a test file defines, as pytest collects them: `test_*` at module level and in
    `Test*` classes (as (class, name))."""
    tests = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            tests.add((node.name,))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            tests |= {(node.name, item.name) for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test")}
    return frozenset(tests)


def missing_reference(root: Path, path: str, names: tuple[str, ...]) -> str | None:
    """Why `path::names` names nothing under `root`, or None when it names a test file or a test in it."""
    test_file = root / path
    if not test_file.is_file():
        return f"{path} does not exist"
    if names and names not in defined_tests(test_file.read_text(encoding="utf-8")):
        return f"{path} defines no test {'::'.join(names)}"
    return None


def reference_id(reference) -> str:
    path, names = reference
    return "::".join((path, *names))


@pytest.mark.parametrize("reference", referenced_tests(docs_text()), ids=reference_id)
def test_every_test_the_docs_name_exists(reference):
    assert missing_reference(ROOT, *reference) is None, missing_reference(ROOT, *reference)


def security_rows(text: str) -> list[str]:
    """The data rows of the tables in the README's Security section (header and separator rows left out)."""
    start = text.index(f"\n{SECURITY_HEADING}\n")
    end = text.find("\n## ", start + 1)
    lines = text[start:end if end != -1 else len(text)].splitlines()
    rows = []
    for before, line in zip(["", *lines], lines):
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line) and not before.startswith("|"):
            continue  # a table's header row
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            rows.append(line)
    return rows


def test_every_guarantee_of_the_security_section_names_its_tests():
    rows = security_rows(OPERATIONS.read_text(encoding="utf-8"))
    assert len(rows) >= 60, f"the Security section has only {len(rows)} table rows"
    unproven = [row for row in rows if not TEST_REFERENCE.search(row)]
    assert not unproven, f"rows that name no test: {unproven}"
    named = {reference_id(reference) for row in rows for reference in referenced_tests(row)}
    assert sum("::" in reference for reference in named) >= 150, len(named)


def test_a_renamed_test_is_caught(tmp_path):
    """The check above fails when a named test is renamed, moved into a class, or its file removed."""
    (tmp_path / "tests").mkdir()
    test_file = tmp_path / "tests" / "test_x.py"
    test_file.write_text("def test_kept():\n    pass\n\nclass TestGroup:\n    def test_inside(self):\n        pass\n")
    text = "Proved by `tests/test_x.py::test_kept` and `tests/test_x.py::TestGroup::test_inside`."
    assert [missing_reference(tmp_path, *reference) for reference in referenced_tests(text)] == [None, None]
    test_file.write_text(test_file.read_text().replace("test_kept", "test_renamed"))
    assert missing_reference(tmp_path, "tests/test_x.py", ("test_kept",)) == "tests/test_x.py defines no test test_kept"
    assert missing_reference(tmp_path, "tests/test_x.py", ("test_inside",)) is not None  # only inside its class
    test_file.unlink()
    assert missing_reference(tmp_path, "tests/test_x.py", ()) == "tests/test_x.py does not exist"


# --- commands ------------------------------------------------------------------------------------------------

def bash_command_lines(text: str) -> list[str]:
    """What follows `python -m zi_data` on each line of the docs' bash blocks (comments go in `words`)."""
    found, in_bash = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_bash = line.strip() == "```bash" and not in_bash
            continue
        match = COMMAND.search(line) if in_bash else None
        if match:
            found.append(match[1].strip())
    return found


def words(synopsis: str) -> list[str]:
    """The synopsis's words, brackets as words of their own, quoted words kept whole, a `# comment` left out."""
    spaced = re.sub(r"([\[\]])", r" \1 ", synopsis)
    return shlex.split(spaced, comments=True)


def parse_group(tokens: list[str], at: int = 0) -> tuple[list[list], int]:
    """Alternatives (separated by a lone `|`) of sequences of items up to the closing `]` or the end; an item is
    a word, a list of word alternatives (`a|b`) or ("optional", alternatives)."""
    alternatives, sequence = [], []
    while at < len(tokens) and tokens[at] != "]":
        token = tokens[at]
        if token == "[":
            inner, at = parse_group(tokens, at + 1)
            sequence.append(("optional", inner))
        elif token == "|":
            alternatives.append(sequence)
            sequence = []
        elif token != ELLIPSIS:  # inside a group: the option may be repeated; once is enough
            sequence.append(token.split("|"))
        at += 1
    return [*alternatives, sequence], at


def expansions(alternatives: list[list]) -> list[list[str]]:
    """Every argv the alternatives allow."""
    result = []
    for sequence in alternatives:
        choices = []
        for item in sequence:
            if isinstance(item, tuple):
                choices.append([[], *expansions(item[1])])
            else:
                choices.append([[PLACEHOLDERS.get(word, word)] for word in item])
        result += [[word for part in combination for word in part] for combination in itertools.product(*choices)]
    return result


def summed_up(synopsis: str) -> bool:
    """Whether a top-level `…` stands for arguments the line does not show."""
    depth = 0
    for token in words(synopsis):
        depth += {"[": 1, "]": -1}.get(token, 0)
        if token == ELLIPSIS and depth == 0:
            return True
    return False


def shown_commands() -> list[pytest.param]:
    argvs = {}
    for synopsis in bash_command_lines(docs_text()):
        if not summed_up(synopsis):
            tree, _end = parse_group(words(synopsis))
            argvs |= {" ".join(argv): argv for argv in expansions(tree)}
    return [pytest.param(argv, id=shown) for shown, argv in argvs.items()]


@functools.cache
def parser() -> argparse.ArgumentParser:
    """The real parser, taking options only as spelt in full: the README shows no abbreviation."""
    built = build_parser()
    for command_parser in every_parser(built):
        command_parser.allow_abbrev = False
    return built


@pytest.mark.parametrize("argv", shown_commands())
def test_every_command_shown_parses_with_the_real_parser(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the path checks look at relative names here, where nothing is in the way
    try:
        arguments = parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"python -m zi_data {' '.join(argv)}: {capsys.readouterr().err}")
    assert arguments.handler is not None


def command_words(synopsis: str) -> list[list[str]]:
    """The command words of a line or text span, each way its `a|b` words allow."""
    tree, _end = parse_group([token for token in words(synopsis) if token != ELLIPSIS])
    return expansions(tree)


def subcommands(command_parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next((action.choices for action in command_parser._actions
                 if isinstance(action, argparse._SubParsersAction)), {})


def command_path(argv: list[str]) -> tuple[tuple[str, ...], str | None]:
    """The command words `argv` starts with, and the first word where a command is expected and none of that
    name exists (None when there is none)."""
    current, path = parser(), []
    for word in argv:
        choices = subcommands(current)
        if not choices or word.startswith("-"):
            break
        if word not in choices:
            return tuple(path), word
        current = choices[word]
        path.append(word)
    return tuple(path), None


def unknown_command(argv: list[str]) -> str | None:
    return command_path(argv)[1]


def named_commands() -> list[pytest.param]:
    text = docs_text()
    named = [synopsis for synopsis in bash_command_lines(text) if summed_up(synopsis)]
    prose = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    named += [COMMAND.search(span)[1] for span in CODE_SPAN.findall(prose) if COMMAND.search(span)]
    return [pytest.param(argv, id=" ".join(argv)) for synopsis in named for argv in command_words(synopsis)]


@pytest.mark.parametrize("argv", named_commands())
def test_every_command_named_exists(argv):
    assert unknown_command(argv) is None, f"python -m zi_data {' '.join(argv)}: no command {unknown_command(argv)}"


def test_the_command_checks_can_fail():
    """A misspelt command, an unknown option and a missing value are caught; every command was walked."""
    assert unknown_command(["evidence", "paket"]) == "paket" and unknown_command(["user", "add"]) is None
    for wrong in (["status", "--tidak-ada"], ["status", "--grace", "3"], ["monev", "report", "--meeting"],
                  ["undo", "TTTT"]):
        with pytest.raises(SystemExit):
            parser().parse_args(wrong)
    tree, _end = parse_group(words("plan add FILE [--year TTTT] [--yes] | plan list"))
    assert expansions(tree) == [["plan", "add", "FILE"], ["plan", "add", "FILE", "--yes"],
                                ["plan", "add", "FILE", "--year", "2025"],
                                ["plan", "add", "FILE", "--year", "2025", "--yes"], ["plan", "list"]]
    shown = {command_path(param.values[0])[0] for param in shown_commands()}
    runnable = {tuple(p.prog.split()[3:]) for p in every_parser(parser()) if p.get_default("handler")}
    assert len(shown & runnable) >= 20, sorted(runnable - shown)


# --- every command and option is documented -------------------------------------------------------------------

def documented_commands(text: str) -> set[tuple[str, ...]]:
    """The command paths the docs show or name as `python -m zi_data …`, each with the groups above it."""
    lines = [synopsis for synopsis in bash_command_lines(text)]
    prose = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    lines += [COMMAND.search(span)[1] for span in CODE_SPAN.findall(prose) if COMMAND.search(span)]
    paths = {command_path(argv)[0] for synopsis in lines for argv in command_words(synopsis)}
    return {path[:end] for path in paths for end in range(len(path) + 1)}


def command_of(command_parser: argparse.ArgumentParser) -> tuple[str, ...]:
    return tuple(command_parser.prog.split()[3:])  # prog is "python -m zi_data WORD …"


def every_option() -> list[pytest.param]:
    """(command, option) for every option of every command: its long spellings, or its short one if it has none."""
    found = {}
    for command_parser in every_parser(parser()):
        for action in command_parser._actions:
            if isinstance(action, argparse._HelpAction) or not action.option_strings:
                continue
            spellings = [option for option in action.option_strings if option.startswith("--")] or action.option_strings
            found |= {(command_of(command_parser), option): None for option in spellings}
    return [pytest.param(command, option, id=" ".join([*command, option])) for command, option in found]


def names_option(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize("command", [pytest.param(command_of(p), id=" ".join(command_of(p)) or "zi_data")
                                     for p in every_parser(parser())])
def test_every_command_is_documented(command):
    assert command in documented_commands(docs_text()), f"python -m zi_data {' '.join(command)} is in no doc"


@pytest.mark.parametrize("command, option", every_option())
def test_every_option_is_documented(command, option):
    assert names_option(docs_text(), option), f"python -m zi_data {' '.join(command)} {option} is in no doc"


# --- every page is in the user guide -----------------------------------------------------------------------------

@pytest.mark.parametrize("title", [page.title for page in PAGES])
def test_every_page_is_in_the_user_guide(title):
    assert f"| {title} |" in USER_GUIDE.read_text(encoding="utf-8"), f"{title} has no row in the user guide's Pages"


# --- every environment variable the code reads is documented ---------------------------------------------------

ENVIRONMENT_SOURCES = ("zi_data", "app_pages", "dashboard.py", "dev.py")


def source_files(root: Path) -> list[Path]:
    return [file for name in ENVIRONMENT_SOURCES
            for file in ([root / name] if (root / name).is_file() else sorted((root / name).rglob("*.py")))]


def is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ")


def read_key(node: ast.AST) -> ast.expr | None:
    """The key `node` reads from the environment: os.environ.get(K), os.getenv(K), os.environ[K], K in os.environ."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.func, (ast.Attribute, ast.Name)):
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else function.id
        if name == "getenv" or (name == "get" and isinstance(function, ast.Attribute) and is_environ(function.value)):
            return node.args[0]
    if isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.ctx, ast.Load):
        return node.slice
    if isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn)) and is_environ(
            node.comparators[0]):
        return node.left
    return None


def string_constants(trees: list[ast.Module]) -> dict[str, set[str]]:
    """Module-level `NAME = "text"` (also `A, B = "x", "y"`) of every module: the names a key may be given by."""
    constants = {}
    for tree in trees:
        for statement in tree.body:
            if not isinstance(statement, ast.Assign):
                continue
            for target in statement.targets:
                pairs = (zip(target.elts, statement.value.elts) if isinstance(target, ast.Tuple)
                         and isinstance(statement.value, ast.Tuple) else [(target, statement.value)])
                for name, value in pairs:
                    if isinstance(name, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                        constants.setdefault(name.id, set()).add(value.value)
    return constants


def key_values(key: ast.expr, function, tree: ast.Module, constants: dict[str, set[str]]) -> set[str] | None:
    """The variable names `key` can be: a literal, a constant by name, or a parameter of `function` given by each
    of its calls in the module; None when that cannot be told."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return {key.value}
    parameters = [argument.arg for argument in function.args.args] if function is not None else []
    if isinstance(key, ast.Name) and key.id in parameters:
        at, values = parameters.index(key.id), set()
        for call in ast.walk(tree):
            callee = getattr(call, "func", None)
            if isinstance(call, ast.Call) and getattr(callee, "id", getattr(callee, "attr", None)) == function.name:
                given = call.args[at] if at < len(call.args) else next(
                    (keyword.value for keyword in call.keywords if keyword.arg == key.id), None)
                found = key_values(given, None, tree, constants) if given is not None else None
                if found is None:
                    return None
                values |= found
        return values or None
    name = key.id if isinstance(key, ast.Name) else key.attr if isinstance(key, ast.Attribute) else None
    return constants.get(name)


def environment_variables(files: list[Path], root: Path) -> tuple[set[str], list[str]]:
    """The environment variables the files read, and where a read's variable could not be told."""
    trees = {file: ast.parse(file.read_text(encoding="utf-8")) for file in files}
    constants = string_constants(list(trees.values()))
    names, unknown = set(), []
    for file, tree in trees.items():
        functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            key = read_key(node)
            if key is None:
                continue
            function = min((f for f in functions if f.lineno <= node.lineno <= f.end_lineno),
                           key=lambda f: f.end_lineno - f.lineno, default=None)  # the innermost
            values = key_values(key, function, tree, constants)
            if values is None:
                unknown.append(f"{file.relative_to(root)}:{node.lineno}")
            names |= values or set()
    return names, unknown


@functools.cache
def code_environment() -> tuple[frozenset[str], tuple[str, ...]]:
    names, unknown = environment_variables(source_files(ROOT), ROOT)
    return frozenset(names), tuple(unknown)


def test_every_read_of_the_environment_is_understood():
    names, unknown = code_environment()
    assert not unknown, f"reads of the environment whose variable the docs test cannot tell: {unknown}"
    assert {"ZI_DATA_DIR", "ZI_DATABASE_URL", "ZI_DATABASE_OWNER_URL", "ZI_SESSION_IDLE_HOURS"} <= names, names


@pytest.mark.parametrize("variable", sorted(code_environment()[0]))
def test_every_environment_variable_is_documented(variable):
    assert names_option(docs_text(), variable), f"the code reads ${variable}, which no doc names"


# --- modules, paths and links --------------------------------------------------------------------------------------

MODULE = re.compile(r"(?<![\w/.])((?:zi_data|app_pages)/[\w/]*\.py|dashboard\.py)(?![\w/])")
PROJECT_PATH = re.compile(r"(?<![\w/.<>-])((?:zi_data|app_pages|tests|scripts|benchmarks|data|docs|assets)/[\w./-]*)")
GENERATED_PATHS = {"benchmarks/results/"}  # git-ignored, made by the benchmarks
LINK = re.compile(r"\]\(([^)\s]+)\)")


def named_modules(text: str) -> set[str]:
    return set(MODULE.findall(text))


def project_modules(root: Path) -> set[str]:
    """Every module of zi_data/ and app_pages/ (a package's __init__.py but the top one's left out)."""
    return {str(file.relative_to(root)) for folder in ("zi_data", "app_pages") for file in (root / folder).rglob("*.py")
            if file.name != "__init__.py" or file.parent == root / "zi_data"}


@pytest.mark.parametrize("module", sorted(named_modules(ARCHITECTURE.read_text(encoding="utf-8"))))
def test_every_module_the_architecture_names_exists(module):
    assert (ROOT / module).is_file(), f"docs/architecture.md names {module}, which does not exist"


@pytest.mark.parametrize("module", sorted(project_modules(ROOT)))
def test_every_module_is_in_the_architecture(module):
    assert module in named_modules(ARCHITECTURE.read_text(encoding="utf-8")), f"{module} is not in docs/architecture.md"


def missing_paths(text: str, root: Path) -> list[str]:
    """The project paths (zi_data/…, tests/…, data/…) a text names that are not in the tree."""
    paths = {path.rstrip(".") for path in PROJECT_PATH.findall(text)}
    return sorted(path for path in paths if path not in GENERATED_PATHS and not (root / path).exists())


def anchor(heading: str) -> str:
    """The anchor the forge gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def broken_links(path: Path) -> list[str]:
    """The relative links of a Markdown file whose file or heading does not exist."""
    broken = []
    prose = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)
    for target in LINK.findall(re.sub(r"`[^`\n]*`", "", prose)):  # a link shown as code is no link
        if re.match(r"\w+:", target):
            continue  # http(s):, mailto:
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        headings = ({anchor(line.lstrip("#")) for line in linked.read_text(encoding="utf-8").splitlines()
                     if line.startswith("#")} if linked.suffix == ".md" and linked.is_file() else set())
        if not linked.exists() or (fragment and fragment not in headings):
            broken.append(target)
    return broken


def headings_in_code(text: str) -> list[str]:
    """Section headings caught inside a code block (a block left open swallows what follows)."""
    caught, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and re.match(r"#{2,} ", line):
            caught.append(line)
    return caught + (["a code block left open"] if in_code else [])


@pytest.mark.parametrize("doc", doc_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_path_and_link_of_the_docs_leads_somewhere(doc):
    text = doc.read_text(encoding="utf-8")
    assert missing_paths(text, ROOT) == []
    assert broken_links(doc) == []
    assert headings_in_code(text) == []


def test_the_readme_is_short():
    lines = len(readme().splitlines())
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_the_completeness_checks_can_fail(tmp_path):
    """Each check above finds what it is for in a made-up project: an undocumented command, option, variable,
    module or path, a variable read in each way, a broken link."""
    text = "```bash\n.venv/bin/python -m zi_data user add NAME --role admin\n```\nAlso `--data-dir`.\n"
    assert ("user", "add") in documented_commands(text) and ("user",) in documented_commands(text)
    assert ("user", "passwd") not in documented_commands(text) and ("status",) not in documented_commands(text)
    assert names_option(text, "--role") and names_option(text, "--data-dir") and not names_option(text, "--data")
    (tmp_path / "zi_data" / "base").mkdir(parents=True)
    (tmp_path / "zi_data" / "__init__.py").write_text("")
    (tmp_path / "zi_data" / "base" / "__init__.py").write_text("")
    source = tmp_path / "zi_data" / "base" / "reads.py"
    source.write_text('import os\nA, B = "ZI_A", "ZI_B"\n\ndef read(variable):\n    return os.environ.get(variable)\n\n'
                      'read(A)\nos.getenv("ZI_C")\n"ZI_D" in os.environ\nos.environ[B]\nos.environ.get(nowhere)\n')
    names, unknown = environment_variables(source_files(tmp_path), tmp_path)
    assert names == {"ZI_A", "ZI_B", "ZI_C", "ZI_D"} and unknown == ["zi_data/base/reads.py:11"]
    assert not names_option("`ZI_A_B` and ZI_AB", "ZI_A")
    assert project_modules(tmp_path) == {"zi_data/__init__.py", "zi_data/base/reads.py"}
    assert named_modules("- `zi_data/base/reads.py` — reads; `zi_data/base/gone.py`") == {
        "zi_data/base/reads.py", "zi_data/base/gone.py"}
    assert missing_paths("see `zi_data/base/reads.py` and tests/test_gone.py.", tmp_path) == ["tests/test_gone.py"]
    doc = tmp_path / "doc.md"
    doc.write_text("# Guide\n\n## Two words\n\n[a](#two-words) [b](#three-words) [c](gone.md) [d](https://x.y)"
                   " `[e](gone.md)`\n")
    assert broken_links(doc) == ["#three-words", "gone.md"]
    assert anchor(" The entry: `dashboard.py`") == "the-entry-dashboardpy"
    assert headings_in_code("```bash\nls\n\n## Next\n```\n## Fine\n```sql\n") == ["## Next", "a code block left open"]
