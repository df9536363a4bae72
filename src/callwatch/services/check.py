"""``callwatch check PROJECT``: is this project eligible, call by call, and why."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import typer

from callwatch.domain.errors import CallwatchError, DataError, Exit
from callwatch.domain.project import Project
from callwatch.files.projectfile import read_stamped_project
from callwatch.i18n import N_, cost_text, percent_text, t
from callwatch.output.checkviews import check_call_json, check_json, verdict_key
from callwatch.output.layout import cut
from callwatch.output.render import (
    Cell,
    Column,
    emit_json,
    fields,
    heading,
    paragraph,
    styled_lines,
    table,
    warn,
)
from callwatch.rules.engine import Explanation, Verdict, evaluate, evaluate_all, rank
from callwatch.rules.phrases import Say
from callwatch.services.env import Env, loaded
from callwatch.services.ranking import Row, asked, table_rows

MARKS = {True: "✓", False: "✗", None: "?"}
ASCII_MARKS = {True: "+", False: "x", None: "?"}
STYLES = {True: "bold green", False: "bold red", None: "bold yellow"}
# An "eligible" on a call that encodes no criteria: only its general conditions were checked.
GENERAL_MARK = {False: "≈", True: "~"}  # keyed by "ASCII only"
GENERAL_STYLE = "bold cyan"
# Title and Why narrower than this read as word lists (2 and 3 lines): stacked records instead.
TEXT_LEAST = 20
# The ranking's "why" is an overview (check --call gives the whole explanation): a failure
# listing thirty partners would otherwise pad every piped line to its length.
WHY_WIDTH = 120
VERDICT_STATUS = {"eligible": True, "general_only": True, "incomplete": None, "not_eligible": False}


def check(env: Env, project_file: Path, call_id: str | None, as_json: bool) -> Exit:
    """Check the project against every call (a ranked table) or one call (in detail).

    With *call_id* the exit code is the verdict's; otherwise :data:`Exit.DATA` when
    some calls could not be loaded.
    """
    clock = env.clock()
    language = env.language()
    if not project_file.is_file():
        raise CallwatchError(N_("{path}: no such file").format(path=project_file), Exit.USAGE)
    found, problems = read_stamped_project(project_file)
    if found is None:
        raise DataError(problems)
    project, project_stamp = found
    catalog = env.catalog()
    if call_id is not None:
        call = catalog.require(call_id)
        _warn_unused_answers(project, asked([call]), project_file)
        verdict = evaluate(call, project, clock, language)
        if as_json:
            emit_json(check_call_json(project, verdict, clock))
        else:
            _print_detail(verdict, project, language)
        if verdict.status is True and verdict.general_only:
            return Exit.GENERAL_ONLY  # its own status: only general conditions were checked
        return {True: Exit.OK, False: Exit.PROBLEM, None: Exit.INCOMPLETE}[verdict.status]
    if as_json:
        current = [c for c in catalog.calls if c.withdrawn is None]  # as table_rows ranks
        _warn_unused_answers(project, asked(current), project_file)
        verdicts = rank(evaluate_all(current, project, clock, language))
        emit_json(check_json(project, verdicts, clock))
    else:
        rows, keys = table_rows(catalog, project, project_file, project_stamp, clock, language)
        _warn_unused_answers(project, keys, project_file)
        _print_ranking(rows, language)
    return loaded(catalog)


def _warn_unused_answers(project: Project, asked: set[str], project_file: Path) -> None:
    """An answer no criterion asks for is most likely a typo: say so, with a suggestion."""
    for name in sorted(set(project.answers) - asked):
        close = difflib.get_close_matches(name, sorted(asked), n=1)
        hint = N_(" (did you mean {name}?)").format(name=repr(close[0])) if close else ""
        message = N_("[answers] {name}: no criterion of the calls checked asks it{hint}")
        warn(f"{project_file}: " + message.format(name=name, hint=hint))


def _marks() -> dict[bool | None, str]:
    """✓ ✗ ?, or + x ? where the output cannot encode them."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "".join(MARKS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return MARKS


def _verdict_cell(key: str, say: Say) -> Cell:
    """``✓ eligible``, ``≈ general conditions only``, ``? incomplete``, ``✗ not eligible``."""

    status = VERDICT_STATUS[key]
    mark = GENERAL_MARK[_marks() is ASCII_MARKS] if key == "general_only" else _marks()[status]
    return Cell(
        f"{mark} {say('verdict_' + key)}",
        GENERAL_STYLE if key == "general_only" else STYLES[status],
    )


def _print_ranking(rows: list[Row], lang: str) -> None:

    say = Say(lang)
    if not rows:
        typer.echo(say("no_calls"))
        return
    cells = [
        [
            _verdict_cell(r.verdict, say),
            Cell(r.id),
            Cell(r.title),
            Cell(cut(r.why, WHY_WIDTH)),
            Cell(r.aid),
        ]
        for r in rows
    ]
    table(  # every column matters here: too narrow for all five, the rows are stacked
        [
            Column(say("h_verdict"), breakable=True),
            Column(t("id", lang), key=True),
            Column(t("title", lang), wrap=True, lines=2, least=TEXT_LEAST),
            Column(say("h_why"), wrap=True, lines=3, least=TEXT_LEAST),
            Column(say("h_aid"), justify="right"),
        ],
        cells,
    )


def _print_detail(v: Verdict, project: Project, lang: str) -> None:

    say = Say(lang)
    marks = _marks()
    verdict = _verdict_cell(verdict_key(v), say)
    heading(f"{v.call.id} — {v.call.title}", verdict.text.upper(), verdict.style)
    where = "" if project.origin is None else f" ({project.origin.file})"
    filing = v.submission.isoformat()
    if v.submission_default:
        filing = say("filing_today", day=filing)
    fields([(say("project"), project.title + where), (say("filing"), filing)])
    if v.general_only:
        paragraph(say("general_only"), say("general_only_note"))
    rows: list[list[Cell]] = []
    for e in v.criteria:
        _criterion_lines(e, 0, rows, say, marks)
    styled_lines([[Cell(say("h_criteria"), "bold underline")], *rows])
    typer.echo("")
    if v.questions:
        lines: list[list[Cell]] = [[Cell(say("h_questions"), "bold underline")]]
        for n, q in enumerate(v.questions, 1):
            lines.append([Cell(f"{n:>2}. "), Cell(q.text)])
            lines.append(
                [Cell("    "), Cell(f"[{q.key}] {say('bears_on')}{', '.join(q.criteria)}", "dim")]
            )
        styled_lines(lines)
        typer.echo("")
    _print_funding(v, say)


def _criterion_lines(
    e: Explanation, depth: int, rows: list[list[Cell]], say: Say, marks: dict[bool | None, str]
) -> None:

    pad = "    " * depth
    status = say("status_" + e.status_name)
    rows.append(
        [
            Cell(pad),
            Cell(f"{marks[e.status]} {status}", STYLES[e.status]),
            Cell(f"  {e.id}", "bold"),
            Cell(f" — {e.label}"),
        ]
    )
    detail = pad + "      "
    source = e.source or (say("from_call") if e.implicit else "")
    for key, text in (("found", e.found), ("required", e.required), ("source", source)):
        if text:
            rows.append([Cell(detail), Cell(say(key), "dim"), Cell(text)])
    for child in e.children:
        _criterion_lines(child, depth + 1, rows, say, marks)


def _print_funding(v: Verdict, say: Say) -> None:

    est = v.funding
    if est.ineligible:
        table(
            [
                Column(say("h_line"), wrap=True),
                Column(say("h_category")),
                Column(say("h_amount"), justify="right"),
                Column(say("h_reason")),
            ],
            [
                [
                    Cell(i.line.label),
                    Cell(cost_text(i.line.category, say.lang)),
                    Cell(say.value(i.line.amount, est.currency)),
                    Cell(say("reason_" + i.reason)),
                ]
                for i in est.ineligible
            ],
            title=say("h_lines"),
        )
        typer.echo("")
    pairs = []
    if est.eligible_total is not None:
        pairs.append((say("eligible_total"), say.value(est.eligible_total, est.currency)))
    if est.rate is not None:
        pairs.append((say("rate"), percent_text(est.rate, say.lang)))
    if est.aid is not None:
        notes = [say("capped_" + c) for c in est.capped]
        aid = say.value(est.aid, est.currency) + (f" ({'; '.join(notes)})" if notes else "")
    else:
        aid = say(est.why_no_aid or "no_rate")
    pairs.append((say("h_aid"), aid))
    fields(pairs, title=say("h_funding"))
