"""Imports at the top, lazy only where a light path needs it (docs/architecture.md).

A module imports what it uses at its top. An import inside a function is kept only
when it keeps something heavy off a measured light path (``--help``, completion, a
warm ``list``/``show``/``check``), and says which on its line or the line above:
``# lazy: pydantic only on a cache miss``. A command module imports its service
inside its function and nothing else; a service imports everything at its top.

``python -m tests.test_imports`` prints the count of imports inside functions, per
package (the number issue 10 asked to bring down: 213 before this rule).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import callwatch

SRC = Path(callwatch.__file__).resolve().parent
MARK = "# lazy:"
CEILING = 100  # imports inside functions, all packages together (issue 10: "well under 191")

Function = ast.FunctionDef | ast.AsyncFunctionDef
Import = ast.Import | ast.ImportFrom


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package: its path relative to the package, and the file."""
    for path in sorted(SRC.rglob("*.py")):
        yield path.relative_to(SRC).as_posix(), path


def function_imports(tree: ast.Module) -> list[tuple[Function, Import, list[ast.stmt]]]:
    """Each import inside a function (once, however deeply nested), with the innermost
    function it is in and the block of statements that holds it."""
    found: dict[int, tuple[Function, Import, list[ast.stmt]]] = {}

    def visit(node: ast.AST, function: Function | None) -> None:
        for _name, value in ast.iter_fields(node):
            blocks = [value] if isinstance(value, list) else []
            for block in blocks:
                for child in block:
                    if isinstance(child, Import) and function is not None:
                        found.setdefault(id(child), (function, child, block))
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    visit(child, child if isinstance(child, Function) else function)

    visit(tree, None)
    return sorted(found.values(), key=lambda item: item[1].lineno)


def justified(node: Import, block: list[ast.stmt], function: Function, lines: list[str]) -> bool:
    """A ``# lazy:`` comment on the import's line or the line above, or above the run of
    imports it belongs to (its groups apart by blank lines); or a helper whose docstring
    says ``lazy:``."""
    if MARK in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith(MARK):
        return True
    position = block.index(node)
    if position > 0:
        before = block[position - 1]
        between = lines[(before.end_lineno or before.lineno) : node.lineno - 1]
        if isinstance(before, Import) and not any(line.strip() for line in between):
            return justified(before, block, function, lines)
    return "lazy:" in (ast.get_docstring(function) or "")


def imported(node: Import) -> list[str]:
    """The modules (or ``package.name``) an import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [f"{node.module}.{alias.name}" for alias in node.names]


def problems() -> list[str]:
    """Every import inside a function that breaks the rule, as ``file:line: why``."""
    out = []
    for rel, path in modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        per_function: Counter[int] = Counter()
        for function, node, block in function_imports(ast.parse(text)):
            where = f"src/callwatch/{rel}:{node.lineno}"
            if rel.startswith("cli/commands/"):
                if not all(name.startswith("callwatch.services.") for name in imported(node)):
                    out.append(f"{where}: a command imports only its service in its function")
                    continue
                per_function[id(function)] += 1
                if per_function[id(function)] > 1:
                    out.append(f"{where}: a command's function imports its service once")
            elif rel.startswith("services/"):
                out.append(f"{where}: a service imports at the top (it is loaded only to run)")
            elif not justified(node, block, function, lines):
                out.append(f"{where}: import at the top, or say why not with '{MARK} …'")
    return out


def counts() -> Counter[str]:
    """Imports inside functions, per package (the top-level modules by their name)."""
    counted: Counter[str] = Counter()
    for rel, path in modules():
        package = rel.split("/")[0].removesuffix(".py")
        counted[package] += len(function_imports(ast.parse(path.read_text(encoding="utf-8"))))
    return counted


def test_every_import_inside_a_function_is_justified() -> None:
    found = problems()
    assert not found, f"{len(found)} import(s) inside functions:\n" + "\n".join(found)


def test_far_fewer_imports_inside_functions() -> None:
    counted = counts()
    total = sum(counted.values())
    assert total < CEILING, f"{total} imports inside functions: {dict(counted.most_common())}"


def test_the_rule_catches_what_it_forbids(tmp_path: Path) -> None:
    """The checker itself: a bare import in a function is found, a justified one is not."""
    code = (
        "def f():\n"
        "    import json\n"
        "def g():\n"
        "    # lazy: pydantic only on a cache miss\n"
        "    import pydantic\n"
        "\n"
        "    import pydantic_core\n"
        "def h():\n"
        '    """lazy: grouped here so --help loads none."""\n'
        "    import rich\n"
    )
    lines = code.splitlines()
    verdicts = {
        fn.name: justified(node, block, fn, lines)
        for fn, node, block in function_imports(ast.parse(code))
        if isinstance(node, ast.Import) and node.names[0].name != "pydantic_core"
    }
    assert verdicts == {"f": False, "g": True, "h": True}
    nested = ast.parse("def outer():\n    def inner():\n        import os\n")
    assert [fn.name for fn, _node, _block in function_imports(nested)] == ["inner"]


# What a warm `list --due` (every calls file read back from the cache) must not load.
WARM_HEAVY = ("pydantic", "pycountry", "httpx", "icalendar", "smtplib", "tomlkit", "babel", "rich")
PROBE = """
import sys
from callwatch.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
from callwatch.domain import territories
table = territories.table.cache_info().currsize
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules) + f";table={{table}}")
"""


def test_a_warm_list_loads_nothing_heavy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CALLWATCH_CACHE": str(tmp_path / "cache"),
        "CALLWATCH_TODAY": "2026-12-04",
        "NO_COLOR": "1",
    }
    code = PROBE.format(heavy=WARM_HEAVY)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, "list", "--due"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    assert runs[0].startswith("LOADED:pydantic")  # the first run validates the calls
    assert runs[1] == "LOADED:;table=0"  # the second reads them back


if __name__ == "__main__":
    counted = counts()
    print(f"{sum(counted.values())} imports inside functions")
    for package, n in counted.most_common():
        if n:
            print(f"{n:5} {package}")
