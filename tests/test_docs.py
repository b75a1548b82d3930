"""The README stays honest (after datasette's tests/test_docs.py: the documentation is checked against the code).

Every test the README names (`tests/test_x.py::test_name`, also `::TestClass::test_name`) must exist: found by
parsing the test files with ast, never by importing or running them, so a renamed or removed test fails here.
Every row of the Security section's tables names at least one test. Every `python -m zi_data …` line of a bash
block parses with the real parser (zi_data.cli.main.build_parser) in each form its synopsis allows: `[optional]`
parts left out and put in, `a|b` each way, placeholders such as TTTT given a value. A line whose arguments are
summed up by a top-level `…`, and a command named in the text, must name existing commands.
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
from zi_data.cli.main import build_parser

README = ROOT / "README.md"
TEST_REFERENCE = re.compile(r"\b(tests/[\w/]+\.py)((?:::\w+)*)")
SECURITY_HEADING = "## Security"
COMMAND = re.compile(r"python -m zi_data\b(.*)")
CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
PLACEHOLDERS = {"TTTT": "2025", "N": "3", "M": "10", "UPLOAD_ID": "1"}  # synopsis words that stand for a number
ELLIPSIS = "…"


def readme() -> str:
    return README.read_text(encoding="utf-8")


# --- test references ---------------------------------------------------------------------------------------

def referenced_tests(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each (file, names) the text refers to, in order, once: names is () for a bare file."""
    found = {(path, tuple(names.split("::")[1:])): None for path, names in TEST_REFERENCE.findall(text)}
    return list(found)


def defined_tests(source: str) -> set[tuple[str, ...]]:
    """The test functions a test file defines, as pytest collects them: `test_*` at module level and in
    `Test*` classes (as (class, name))."""
    tests = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            tests.add((node.name,))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            tests |= {(node.name, item.name) for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test")}
    return tests


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


@pytest.mark.parametrize("reference", referenced_tests(readme()), ids=reference_id)
def test_every_test_the_readme_names_exists(reference):
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
    rows = security_rows(readme())
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
    """What follows `python -m zi_data` on each line of the README's bash blocks (comments go in `words`)."""
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
    for synopsis in bash_command_lines(readme()):
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
    text = readme()
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
