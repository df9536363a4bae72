"""``callwatch validate``: every problem of the calls, project and team files, in one run."""

from __future__ import annotations

import sys
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit, Problem
from callwatch.domain.territories import pending_problems
from callwatch.domain.text import clean
from callwatch.files import teamfile
from callwatch.files.loading import Catalog, data_sources, expand_files, load_catalog
from callwatch.files.projectfile import project_file_notes, project_file_problems
from callwatch.files.teamfind import shown_path
from callwatch.i18n import N_, _, current_lang, localize, ngettext, t
from callwatch.output.render import emit_json
from callwatch.services.env import Env
from callwatch.services.fetch_team import portal_problems
from callwatch.store.atomic import kind_of

VALIDATE_SCHEMA = "callwatch.validate/1"
FORMATS = ("text", "json", "github")


def validate(
    env: Env,
    paths: list[Path] | None,
    as_json: bool = False,
    output_format: str = "text",
    team_only: bool = False,
) -> Exit:
    """Report every problem (as text, JSON or GitHub annotations); :data:`Exit.PROBLEM`
    when there is one."""
    env.language()  # problems in the chosen language (never fails on a broken team file)
    if as_json:
        output_format = "json"
    if output_format not in FORMATS:
        raise CallwatchError(
            "--format: "
            + N_("expected one of {names}, not {value!r}").format(
                names=", ".join(FORMATS), value=output_format
            ),
            Exit.USAGE,
        )
    team = None if env.data_given() else _team_of(teamfile.find().path)
    calls_files: list[Path] = []
    project_files: list[Path] = []
    team_files: list[Path] = []
    found: list[Problem] = []
    notes: list[Problem] = []  # territories written otherwise than canonically
    wanted, unread = _targets(paths, env)
    targets = expand_files(wanted)
    if team_only and team is not None:  # the hook: editor and tool configs are not ours
        targets = _covered(team, targets)
    unreadable: list[Path] = []  # a FIFO or a device named *.toml inside a directory
    for path in targets:
        kind = kind_of(path)
        if kind is not None:
            unreadable.append(path)
            reason = N_("{kind}, not a regular file").format(kind=kind)
            found.append(
                Problem(str(path), None, N_("cannot read: {reason}").format(reason=reason))
            )
            continue
        if teamfile.is_team_file(path):
            team_files.append(path)
            found.extend(teamfile.read_team(path)[1])
            found.extend(_portal_problems(path))
            continue
        project = project_file_problems(path)
        if project is None:
            calls_files.append(path)
        else:
            project_files.append(path)
            found.extend(project)
            notes.extend(project_file_notes(path))
    # Files given inside a team's repository (the pre-commit hook's): read with the
    # team's data, whose territories they may name, and reported on alone.
    context = _context(team, calls_files) if paths else []
    loaded = [*context, *calls_files]
    # only project files given: no calls to load (not the shipped data either)
    catalog = load_catalog(loaded) if loaded else Catalog()
    if not loaded:  # a project naming a team territory, and no calls file defining it
        found.extend(Problem(file, line, message) for file, line, message in pending_problems())
    if team is not None and any(_same(team.path, f) for f in team_files):
        found.extend(teamfile.territory_problems(team))
    given = {p.resolve() for p in [*team_files, *calls_files, *project_files]}
    if context:
        catalog.problems = [p for p in catalog.problems if Path(p.file).resolve() in given]
        catalog.notes = [n for n in catalog.notes if Path(n.file).resolve() in given]
    problems = sorted([*catalog.problems, *found], key=lambda p: (p.file, p.line or 0))
    notes = sorted([*catalog.notes, *notes], key=lambda p: (p.file, p.line or 0))
    calls = sum(
        len(positions)
        for file, (_result, positions) in zip(catalog.files, catalog.parts, strict=True)
        if file.resolve() in given
    )
    if output_format == "json":
        emit_json(
            {
                "schema": VALIDATE_SCHEMA,
                "files": [str(f) for f in [*team_files, *calls_files, *unreadable, *project_files]],
                "calls": calls,
                "project_files": [str(f) for f in project_files],
                "problems": [
                    {"file": p.file, "line": p.line, "message": p.message} for p in problems
                ],
                # Not problems: what was written otherwise than canonically, and how it reads.
                "notes": [{"file": n.file, "line": n.line, "message": n.message} for n in notes],
            }
        )
    else:
        base = _annotation_root(team)
        for p in problems:
            shown = clean(localize(str(p)))
            line = github_annotation(p, base=base) if output_format == "github" else shown
            sys.stdout.write(line + "\n")
        for n in notes:
            if output_format == "github":
                line = github_annotation(n, "notice", base=base)
            else:
                note = t("territory.note", current_lang())
                line = clean(f"{n.file}:{n.line}: {note}{localize(n.message)}")
            sys.stdout.write(line + "\n")
        files = len(team_files) + len(calls_files) + len(unreadable)
        sys.stderr.write(_summary(len(problems), files, calls, project_files))
    if unread is not None:  # said, not guessed: the shipped calls are not the team's
        said = _("{file}: the team's calls were not checked: fix its `data` first")
        sys.stderr.write(clean(said.format(file=unread)) + "\n")
    return Exit.PROBLEM if problems else Exit.OK


def _team_of(path: Path | None) -> teamfile.TeamFile | None:
    """The team file in use, when it can be read (its problems are reported anyway)."""
    if path is None:
        return None
    return teamfile.read_team(path)[0]


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _context(team: teamfile.TeamFile | None, given: list[Path]) -> list[Path]:
    """The team's calls files that were not given: they define its territories."""
    if team is None:
        return []
    mine = {p.resolve() for p in given}
    try:
        data = expand_files(team.data_paths())
    except CallwatchError:  # a missing data path: reported when the team file is validated
        return []
    return [p for p in data if p.resolve() not in mine and not teamfile.is_team_file(p)]


def _covered(team: teamfile.TeamFile, paths: list[Path]) -> list[Path]:
    """Those of *paths* that are the team file, or that its ``data`` or ``projects`` cover."""
    ours = {team.path.resolve()}
    for entry in [*team.data_paths(), *team.project_paths()]:
        if entry.is_dir():
            ours.update(p.resolve() for p in entry.rglob("*.toml"))
        else:
            ours.add(entry.resolve())
    return [p for p in paths if p.resolve() in ours]


def _portal_problems(path: Path) -> list[Problem]:
    """``[[fetch]] portal = "…"`` naming no portal ``callwatch fetch`` knows."""
    team = _team_of(path)
    if team is None or not team.fetch:
        return []
    return portal_problems(team)


def _annotation_root(team: teamfile.TeamFile | None) -> Path:
    """What annotation paths are relative to: GitHub places them from the repository's
    root (the nearest directory with ``.git``), else the team file's directory."""
    here = Path.cwd().resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return team.root.resolve() if team is not None else here


def _summary(problems: int, calls_files: int, calls: int, project_files: list[Path]) -> str:
    """``2 problems in 3 files; 40 valid calls; 1 project file`` in the reader's language."""
    files = calls_files + len(project_files)
    summary = (
        ngettext("{n} problem", "{n} problems", problems).format(n=problems)
        + " "
        + ngettext("in {n} file", "in {n} files", files).format(n=files)
        + _("; ")
        + ngettext("{n} valid call", "{n} valid calls", calls).format(n=calls)
    )
    if project_files:
        n = len(project_files)
        summary += _("; ") + ngettext("{n} project file", "{n} project files", n).format(n=n)
    return summary + "\n"


def _targets(paths: list[Path] | None, env: Env) -> tuple[list[Path], Path | None]:
    """What to check: the paths given, else the data in use; in a team's repository
    (no --data, no $CALLWATCH_DATA) also its callwatch.toml and its project files,
    even when the team file itself is broken (its problems are reported with the rest).

    Second: the team file whose data could not be read (not TOML, or no usable
    `data` entry), so that nothing of it was checked; never the shipped calls instead."""
    if paths:
        return list(paths), None
    if env.data_given():
        return data_sources(env.data), None
    found = teamfile.find()
    if found.path is None:
        return data_sources(None), None
    team, _ = teamfile.read_team(found.path)
    if team is None:  # not even TOML: validating the file says so
        return [found.path], found.path
    if team.names_data and not team.data:
        return [found.path, *team.project_paths()], found.path
    data = team.data_paths() or data_sources(None)  # no `data`: the team reads the shipped
    return [found.path, *data, *team.project_paths()], None


def github_annotation(problem: Problem, level: str = "error", base: Path | None = None) -> str:
    """``::error file=F,line=N::message``: GitHub Actions shows it on the offending line.

    The message is untrusted text (it quotes the file): cleaned, then escaped as the
    workflow-command syntax requires, so it cannot start a command of its own.
    """

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(shown_path(problem.file, base), prop=True)}"
    if problem.line is not None:
        where += f",line={problem.line}"
    return f"::{level} {where}::{escape(clean(localize(problem.message)))}"
