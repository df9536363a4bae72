"""`callwatch new`, the pre-commit hook (run by pre-commit itself), `validate --format github`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Invoke
from tests.io_support import ROOT

EXPECTED = [
    ".github/workflows/callwatch.yml",
    ".pre-commit-config.yaml",
    "README.md",
    "callwatch.toml",
    "data/calls.toml",
    "exemples/projet.toml",
    "projects/.gitkeep",
]

BROKEN = """\
[[calls]]
id = "broken"
title = "Appel cassé"
sources = ["Test"]
deadlines = [{ date = "2030-06-30" }]
"""
# a call naming a team territory, and the file defining it
TEAM_CALL = """\
[[calls]]
id = "leader-1"
title = "LEADER"
territory = ["gal-lf"]
sources = ["Délibération du GAL"]
deadlines = [{ date = 2027-01-15 }]
"""
TERRITORIES = """\
[[territories]]
id = "gal-lf"
name = "GAL LF"
members = ["epci:200070761"]
"""


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_new_scaffolds_a_valid_team_repository(
    tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "veille"
    result = cli("new", str(repo))
    assert result.exit_code == 0, result.output
    assert files_under(repo) == EXPECTED
    assert "callwatch validate --format github" in (
        repo / ".github/workflows/callwatch.yml"
    ).read_text(encoding="utf-8")
    assert "# [[calls]]" in (repo / "data/calls.toml").read_text(encoding="utf-8")
    # the repository is valid as written, and so is its commented example once uncommented
    monkeypatch.delenv("CALLWATCH_TEAM")
    monkeypatch.chdir(repo)
    assert cli("validate").exit_code == 0
    # the README's step: the example becomes the team's first project, read by validate
    shutil.copy(repo / "exemples/projet.toml", repo / "projects/mon-projet.toml")
    result = cli("validate", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["project_files"] == [str(repo / "projects/mon-projet.toml")]
    calls = repo / "data/calls.toml"
    text = calls.read_text(encoding="utf-8")
    example = text[text.index("# [[calls]]") :]
    calls.write_text("\n".join(line[2:] for line in example.splitlines()) + "\n", "utf-8")
    result = cli("--today", "2019-03-01", "show", "feader-aura-2019-16-4")
    assert result.exit_code == 0, result.output


def test_new_never_overwrites(tmp_path: Path, cli: Invoke) -> None:
    repo = tmp_path / "veille"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "calls.toml").write_text("# ours\n", encoding="utf-8")
    result = cli("new", str(repo))
    assert result.exit_code == 2
    assert "already exist" in result.stderr and "nothing written" in result.stderr
    assert files_under(repo) == ["data/calls.toml"]
    assert (repo / "data" / "calls.toml").read_text(encoding="utf-8") == "# ours\n"
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert cli("new", str(tmp_path / "file")).exit_code == 2


def test_validate_format_github(tmp_path: Path, cli: Invoke) -> None:
    bad = tmp_path / "a,b.toml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = cli("validate", "--format", "github", str(bad))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    file = str(bad).replace(",", "%2C")
    assert line.startswith(f"::error file={file},line=5::call 'broken': deadlines[0].date:")
    assert cli("validate", "--format", "xml", str(bad)).exit_code == 2
    assert cli("validate", "--format", "json", str(bad)).stdout.startswith("{")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def pre_commit(repo: Path, tmp_path: Path, *which: str) -> subprocess.CompletedProcess[str]:
    """pre-commit itself, offline: its cache in tmp_path, our callwatch first on PATH."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "CALLWATCH_CACHE": "off",
    }
    env.pop("CALLWATCH_TEAM", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            *(which or ["--all-files"]),
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def new_repository(tmp_path: Path, cli: Invoke) -> Path:
    """`callwatch new` in tmp_path/veille, and a `callwatch` launcher for pre-commit's PATH."""
    (tmp_path / "bin").mkdir()
    launcher = tmp_path / "bin" / "callwatch"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m callwatch "$@"\n', "utf-8")
    launcher.chmod(0o755)
    repo = tmp_path / "veille"
    assert cli("new", str(repo)).exit_code == 0
    return repo


def test_the_hook_runs_under_pre_commit(tmp_path: Path, cli: Invoke) -> None:
    """The scaffold's .pre-commit-config.yaml and the hook this repository ships
    (.pre-commit-hooks.yaml, run as a local hook: no network), in a real git repository."""
    repo = new_repository(tmp_path, cli)
    (shipped,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert shipped["id"] == "callwatch-validate"
    local = {**shipped, "id": "shipped-hook", "language": "system"}
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    config["repos"][0]["hooks"].append(local)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    passed = pre_commit(repo, tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count("Passed") == 2  # pyproject.toml is left alone by both
    (repo / "data" / "broken.toml").write_text(BROKEN, encoding="utf-8")
    git(repo, "add", ".")
    failed = pre_commit(repo, tmp_path)
    assert failed.returncode == 1
    assert failed.stdout.count("Failed") == 2
    assert "data/broken.toml:5: call 'broken': deadlines[0].date" in failed.stdout


def test_the_hook_checks_staged_files_with_the_team_context(tmp_path: Path, cli: Invoke) -> None:
    """Only calls.toml is staged; the territory it names is defined in territoires.toml,
    committed before. The hook reads the team's data and reports on calls.toml alone;
    a .taplo.toml (docs/editor.md) is not the hook's business."""
    repo = new_repository(tmp_path, cli)
    (repo / "data" / "territoires.toml").write_text(TERRITORIES, encoding="utf-8")
    (repo / ".taplo.toml").write_text("[formatting]\nalign_entries = true\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    (repo / "data" / "calls.toml").write_text(TEAM_CALL, encoding="utf-8")
    git(repo, "add", "data/calls.toml")
    staged = pre_commit(repo, tmp_path, "--hook-stage", "pre-commit")  # the staged files
    assert staged.returncode == 0, staged.stdout + staged.stderr
    (repo / "data" / "calls.toml").write_text(TEAM_CALL.replace("gal-lf", "gal-lx"), "utf-8")
    git(repo, "add", "data/calls.toml")
    failed = pre_commit(repo, tmp_path, "--hook-stage", "pre-commit")
    assert failed.returncode == 1
    assert "data/calls.toml:4: call 'leader-1': territory[0]: unknown territory code 'gal-lx'" in (
        failed.stdout
    )
    every = pre_commit(repo, tmp_path, "--all-files")
    assert every.returncode == 1 and every.stdout.count("1 problem in") == 1
    assert ".taplo.toml" not in every.stdout  # only calls.toml fails
