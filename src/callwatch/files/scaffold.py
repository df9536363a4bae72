"""``callwatch new DIR``: a team repository to start from (docs/team.md).

Every file is created with :func:`callwatch.store.atomic.create_new`: nothing that
exists is ever replaced, and nobody sees a half-written file. All targets are
checked first, so a refused scaffold writes nothing at all.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from callwatch.domain.errors import CallwatchError, Exit
from callwatch.files.projectfile import template_text
from callwatch.i18n import N_
from callwatch.store.atomic import create_new

# Each file of a new team repository: where it goes, and its template
# (in files/team_template/; None: the project template of `callwatch init`).
LAYOUT: tuple[tuple[str, str | None], ...] = (
    ("callwatch.toml", "callwatch.toml"),
    ("data/calls.toml", "calls.toml"),
    # outside `projects = ["projects/*.toml"]`: the digest reports on no fictional project
    ("exemples/projet.toml", None),
    ("projects/.gitkeep", ""),  # the folder `projects = ["projects/*.toml"]` reads, empty
    (".pre-commit-config.yaml", "pre-commit-config.yaml"),
    (".github/workflows/callwatch.yml", "workflow.yml"),
    ("README.md", "README.md"),
)


def template(name: str | None) -> str:
    if name is None:
        return template_text()
    if not name:
        return ""
    return resources.files("callwatch.files").joinpath("team_template", name).read_text("utf-8")


def scaffold(root: Path) -> list[Path]:
    """Write a team repository into *root* (created if needed); the files written."""
    targets = [(root / rel, name) for rel, name in LAYOUT]
    if root.exists() and not root.is_dir():
        raise CallwatchError(N_("{path}: not a directory").format(path=root), Exit.USAGE)
    taken = [path for path, _ in targets if path.exists() or path.is_symlink()]
    if taken:
        names = ", ".join(str(p) for p in taken)
        # worded now, translated where shown: one form for one file, one for more
        taken_text = (
            N_("{names}: already exists; nothing written")
            if len(taken) == 1
            else N_("{names}: already exist; nothing written")
        )
        raise CallwatchError(taken_text.format(names=names), Exit.USAGE)

    written = []
    for path, name in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            create_new(path, template(name).encode("utf-8"))
        except FileExistsError:
            raise CallwatchError(
                N_("{path}: appeared meanwhile; not overwritten").format(path=path), Exit.USAGE
            ) from None
        except OSError as exc:
            raise CallwatchError(
                N_("cannot write: {reason}").format(reason=exc.strerror or exc),
                Exit.USAGE,
                file=path,
            ) from None
        written.append(path)
    return written
