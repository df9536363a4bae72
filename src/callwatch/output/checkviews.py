"""What ``callwatch check`` prints: JSON shapes (docs/rules.md) and short texts.

The JSON shapes are a public contract: add keys freely, never rename or remove
one without bumping the ``schema`` version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callwatch.domain.clock import Clock, iso
from callwatch.domain.funding import Estimate
from callwatch.domain.project import Project
from callwatch.output.views import money, round_json
from callwatch.rules.engine import Explanation, Question, Verdict

if TYPE_CHECKING:
    from callwatch.rules.phrases import Say

CHECK_SCHEMA = "callwatch.check/1"
CHECK_CALL_SCHEMA = "callwatch.check.call/1"


def verdict_key(v: Verdict) -> str:
    """The verdict a person reads: an "eligible" reached on a call that encodes no
    criteria is only "general conditions only" (its own mark, exit status 4)."""
    if v.status is True and v.general_only:
        return "general_only"
    return v.name


def why_text(v: Verdict, say: Say) -> str:
    """The table's "why", in words of the failure: the first failed criterion (and how
    many others), the questions left, or what a general-only verdict did not check."""
    if v.status is False:
        failed = v.failed
        return failure_text(failed[0], say) + (f" (+{len(failed) - 1})" if len(failed) > 1 else "")
    if v.status is None:
        return say.count("questions", len(v.questions))
    return say("why_general_only") if v.general_only else ""


def failure_text(e: Explanation, say: Say) -> str:
    """``filing on 10 June 2019, after the last round (29 May 2019)``; for other criteria
    what was found against what was required, under the criterion's id."""
    if e.id == "call.rounds":
        return e.found
    subject = say("subject_" + e.id) if say.has("subject_" + e.id) else e.id
    return say("why_failed", subject=subject, found=e.found, required=e.required)


def aid_text(v: Verdict, say: Say) -> str:
    """The estimated aid, shown only where the project may get it (never when not eligible)."""
    if v.status is not False and v.funding.aid is not None:
        return say.value(v.funding.aid, v.funding.currency)
    return "—"


def project_json(project: Project, clock: Clock) -> dict[str, Any]:
    submission = project.submission or clock.today
    return {
        "file": None if project.origin is None else project.origin.file,
        "title": project.title,
        "territory": project.territory,
        "submission": submission.isoformat(),
        "submission_is_default": project.submission is None,
        "partners": None if project.partners is None else [p.id for p in project.partners],
        "control_declared": project.control is not None,
    }


def explanation_json(e: Explanation) -> dict[str, Any]:
    out = {
        "id": e.id,
        "label": e.label,
        "source": e.source,
        "implicit": e.implicit,
        "status": e.status_name,
        "found": e.found,
        "required": e.required,
        "facts": list(e.facts),
        "children": [explanation_json(c) for c in e.children],
    }
    if e.standard is not None:  # a type of action's standard condition, not the call's text
        out["standard"] = e.standard
    return out


def question_json(q: Question) -> dict[str, Any]:
    return {"key": q.key, "text": q.text, "criteria": list(q.criteria)}


def estimate_json(est: Estimate) -> dict[str, Any]:
    def line(label: str, category: str, amount: Any) -> dict[str, Any]:
        return {"label": label, "category": category, "amount": money(amount)}

    return {
        "currency": est.currency,
        "eligible_total": money(est.eligible_total),
        "base": money(est.base),
        "rate": money(est.rate),
        "aid": money(est.aid),
        "why_no_aid": est.why_no_aid,
        "capped_by": list(est.capped),
        "eligible_lines": [line(b.label, b.category, b.amount) for b in est.eligible or ()],
        "ineligible_lines": [
            {**line(i.line.label, i.line.category, i.line.amount), "reason": i.reason}
            for i in est.ineligible
        ],
    }


def verdict_summary_json(v: Verdict, clock: Clock) -> dict[str, Any]:
    return {
        "id": v.call.id,
        "title": v.call.title,
        "verdict": v.name,
        "general_only": v.general_only,
        "failed": [e.id for e in v.failed],
        "question_count": len(v.questions),
        "filing_round": None if v.filing_round is None else round_json(v.filing_round, clock),
        "estimated_aid": money(v.funding.aid),
        "currency": v.funding.currency,
    }


def verdict_json(v: Verdict, clock: Clock) -> dict[str, Any]:
    out = verdict_summary_json(v, clock)
    out.update(
        {
            "submission": v.submission.isoformat(),
            "submission_is_default": v.submission_default,
            "criteria": [explanation_json(e) for e in v.criteria],
            "questions": [question_json(q) for q in v.questions],
            "funding": estimate_json(v.funding),
        }
    )
    return out


def check_json(project: Project, verdicts: list[Verdict], clock: Clock) -> dict[str, Any]:
    """``check --json``: every call, ranked."""
    return {
        "schema": CHECK_SCHEMA,
        "now": iso(clock.now),
        "project": project_json(project, clock),
        "results": [verdict_summary_json(v, clock) for v in verdicts],
    }


def check_call_json(project: Project, verdict: Verdict, clock: Clock) -> dict[str, Any]:
    """``check --call ID --json``: one call in full detail."""
    return {
        "schema": CHECK_CALL_SCHEMA,
        "now": iso(clock.now),
        "project": project_json(project, clock),
        **verdict_json(verdict, clock),
    }
