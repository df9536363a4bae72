"""The words of explanations and questions, in English and French.

Call data (labels, sources, questions written in a calls file) stays as written;
only the engine's own words are translated here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from callwatch.i18n import amount_text, babel_locale, catalog, pgettext_in

# key -> English; the French is in the catalog (context "say:" + key, callwatch.i18n)
_TEXT: dict[str, str] = {
    # values
    "yes": "yes",
    "no": "no",
    "not_given": "not given",
    "not_answered": "not answered",
    "wrong_kind": "{value} (not usable here)",
    "in_territory": "{code} (in {outer})",
    "outside": "{code} (in {ancestry})",
    # operators
    "op_eq": "= {v}",
    "op_in": "one of {v}",
    "op_any_in": "including one of {v}",
    "op_all_in": "only among {v}",
    "op_gte": "≥ {v}",
    "op_lte": "≤ {v}",
    "op_between": "between {a} and {b}",
    "op_within": "within {v}",
    "and": " and ",
    # quantities
    "at_least": "at least {v}",
    "at_most": "at most {v}",
    "between_bounds": "between {a} and {b}",
    "range": "{a} to {b}",
    "with": "{noun} with {cond}",
    "every": "every {noun}: {cond}",
    "every_with": "every {noun} with {where}: {cond}",
    "all_items": "all {n} {noun}",
    "none_items": "no {noun}",
    "failed_by": "not met by {items}",
    "unknown_for": "unknown for {items}",
    "distinct": "distinct {what}",
    "undeclared": "control links not declared",
    "not_exact": "control links too intricate to be counted exactly: a range is given",
    "controls": "{a} controls {b}",
    "mutual": "{a} and {b} control each other",
    "maybe_public": "{by} controls {items} (public body? not given)",
    "through": "through {via}: {last}",
    "power": "decision power",
    "common": "{by} controls {a} and {b}",
    "members": "{head}: {members}",
    "or": " or ",
    "established_in": "establishment in {v}",
    "st_member_state": "a Member State",
    "st_associated_country": "an Associated Country",
    "st_associated_pillar_2": (
        "a country associated to Pillar II ({codes}, admitted in Pillar II topics: clusters "
        "and missions)"
    ),
    "st_third_country": "a third country",
    "in_distinct": ", in distinct {what}",
    "including": ", including one with {cond}",
    "no_including": "no partner with {cond}",
    "none_including": "{head}, none with {cond}",
    "not_decided": "could not be decided exactly: too many control links to search",
    "all_in": "{head}, all in {value}",
    "of_which": "{head}, of which {k} in distinct {what}",
    # combinators
    "all_of": "all of: {v}",
    "any_of": "one of: {v}",
    "none_of": "none of: {v}",
    "not": "not: {v}",
    "all_met": "all met",
    "none_met": "none met",
    "met_list": "met: {v}",
    "not_met_list": "not met: {v}",
    "unknown_list": "unknown: {v}",
    "status_met": "met",
    "status_not_met": "not met",
    "status_unknown": "unknown",
    # built-in checks
    "label_call.rounds": "Filing date within an open round",
    "label_call.territory": "Project within the call's territory",
    "label_call.beneficiaries": "Partners among the call's beneficiaries",
    "label_call.funding": "Eligible costs",
    "round_required": "a round open on the filing date",
    "filing_today": "{day} (today)",
    "round_open": "{day}: {round} open until {closes}",
    "ongoing_open": "{day}: ongoing call",
    "round_not_yet": "filing on {day}, before {round} opens ({opens})",
    "call_not_yet": "filing on {day}, before the call opens ({opens})",
    "rounds_over": "filing on {day}, after the last round ({closes})",
    "no_round": "filing on {day}: the call states no round",
    "the_round": "the round",
    "among": "every partner among: {v}",
    "eligible_costs": "eligible costs {v}",
    "lines_out": "{lines} not eligible",
    "aid_is": "aid {v}",
    "aid_unknown": "aid not estimated (no rate)",
    "positive": "eligible costs > 0",
    "floor": "eligible costs ≥ {v}",
    "min_aid": "aid ≥ {v}",
    "eligible_cost_q": "eligible costs",
    "aid_q": "aid",
    "manual_required": "yes",
    "label_horizon.ria_ia": (
        "Standard condition (RIA/IA): at least three independent legal entities, each "
        "established in a different Member State or Associated Country, at least one in a "
        "Member State"
    ),
    "label_horizon.csa": (
        "Standard condition (CSA): at least one legal entity established in a Member "
        "State or an Associated Country"
    ),
    "source_standard": (
        "Horizon Europe, General Annexes to the Work Programme, part B (Eligibility) "
        "— Commission decisions C(2021)1940 and C(2022)7550; standard condition for this "
        "type of action, unless the topic says otherwise"
    ),
    "standard_mark": "Standard condition",
    "standard_note": (
        "{id} is derived by callwatch from the type of action ({action}), as the Horizon "
        "Europe General Annexes set it; it is not the topic's own text, which may say otherwise"
    ),
    # questions
    "q_control": (
        "Which control links exist between the partners, directly or through entities outside "
        "the partnership (shares, voting rights, decision power)? Count an outside entity that "
        "controls two partners: declare it in [[entities]] and its holdings in [[control]]. "
        "The [[control]] list is taken as complete; write `control = []` if there is no link."
    ),
    "q_partners": "Who are the partners ([[partners]])?",
    "q_budget": "What is the budget ([[budget]] lines)?",
    "q_project.territory": (
        "Where does the project take place (a territory such as FR-63 or commune:63003)?"
    ),
    "q_project.themes": "What are the project's themes?",
    "q_project.start": "When does the project start?",
    "q_project.end": "When does the project end?",
    "q_project.title": "What is the project's title?",
    "q_partner.type": (
        "What kind of entity is {name} (type: commune, association, farmer, private_sector…)?"
    ),
    "q_partner.legal_form": (
        "What is the legal form of {name} (GAEC, EARL, SARL, individual farmer…)?"
    ),
    "q_partner.roles": "What roles does {name} play (producer, processor, distributor, retailer…)?",
    "q_partner.territory": "Where is {name} located?",
    "q_partner.public": "Is {name} a public body (public = true or false)?",
    "q_partner.other": "{field} of {name}?",
    "q_budget.partner": "Which partner carries the line {name}?",
    "q_answer": "Answer to {name}?",
    "q_eu_country": (
        "Is {country} a Member State or an Associated Country of Horizon Europe? The "
        "shipped list names it as under negotiation: check the Commission's current list."
    ),
    # callwatch check
    "verdict_eligible": "eligible",
    "verdict_not_eligible": "not eligible",
    "verdict_incomplete": "incomplete",
    "h_verdict": "Verdict",
    "h_why": "Why",
    "h_aid": "Estimated aid",
    "h_criteria": "Criteria",
    "h_questions": "Questions to answer",
    "h_lines": "Budget lines not eligible",
    "h_funding": "Funding",
    "h_line": "Line",
    "h_category": "Category",
    "h_amount": "Amount",
    "h_reason": "Reason",
    "general_only": "only general conditions checked",
    "verdict_general_only": "general conditions only",
    "why_general_only": "no criteria encoded",
    "why_failed": "{subject}: {found}; required: {required}",
    "subject_call.territory": "project territory",
    "subject_call.beneficiaries": "beneficiaries",
    "subject_call.funding": "eligible costs",
    "general_only_note": (
        "This call encodes no eligibility criteria: only its general conditions (filing "
        "date, territory, beneficiaries, eligible costs) were checked."
    ),
    "found": "found: ",
    "required": "required: ",
    "source": "source: ",
    "from_call": "the call's own fields",
    "bears_on": "bears on: ",
    "project": "Project",
    "filing": "Filing date",
    "eligible_total": "Eligible costs",
    "rate": "Rate",
    "no_rate": "not estimated: the call gives no rate",
    "no_budget": "not estimated: no budget given",
    "no_funding": "not estimated: the call states no funding rules",
    "capped_max_aid": "capped at the maximum aid",
    "capped_max_eligible_cost": "eligible costs capped at the call's maximum",
    "reason_not_listed": "category not among the call's eligible costs",
    "reason_excluded": "category excluded by the call",
    "no_calls": "No call to check.",
}

# phrases whose words agree with a count {n}: key -> (English singular, plural); the
# French in the catalog (context "say:" + key), chosen by ngettext (French: 0 and 1 singular)
_PLURALS: dict[str, tuple[str, str]] = {
    "distinct_of": ("{n} distinct ({values})", "{n} distinct ({values})"),
    "few_values": ("only {n} distinct {what}: {values}", "only {n} distinct {what}: {values}"),
    "others": ("{n} other", "{n} others"),
    "left_out": ("{items} not counted: without {cond}", "{items} not counted: without {cond}"),
}

# noun -> (English singular, plural); French plurals in the catalog (context "noun:" + key)
_NOUNS: dict[str, tuple[str, str]] = {
    "partners": ("partner", "partners"),
    "independent": ("independent partner", "independent partners"),
    "budget": ("budget line", "budget lines"),
    "questions": ("question", "questions"),
    "country": ("country", "countries"),
}


class Say:
    """Phrases in one language: ``say("at_least", v=2)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fr = lang == "fr"

    def __call__(self, key: str, **values: Any) -> str:
        text = pgettext_in(self.lang, "say:" + key, _TEXT[key])
        return text.format(**values) if values else text

    def plural(self, key: str, n: int, **values: Any) -> str:
        """The phrase *key* agreeing with the count *n* (``1 pays distinct``)."""
        one, many = _PLURALS[key]
        return catalog(self.lang).npgettext("say:" + key, one, many, n).format(n=n, **values)

    def has(self, key: str) -> bool:
        return key in _TEXT

    def has_noun(self, name: str) -> bool:
        return name in _NOUNS

    def noun(self, name: str, n: int | None = None) -> str:
        """The noun for *n* things (plural when *n* is None)."""
        one, many = _NOUNS[name]
        return catalog(self.lang).npgettext("noun:" + name, one, many, 2 if n is None else n)

    def day(self, value: date) -> str:
        """A date in words: ``29 May 2019``, ``29 mai 2019`` (Babel, the reader's language)."""
        # lazy: Babel only to word a date (check's cached rows and list need none)
        from babel.dates import format_date

        return str(format_date(value, format="long", locale=babel_locale(self.lang)))

    def items(self, names: list[str]) -> str:
        """``a, b and c`` (``a, b et c``)."""
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + self("and") + names[-1]

    def some(self, names: list[str], total: int) -> str:
        """``a, b and 3 others``: the first *names* of *total*, never read as all of them."""
        if total <= len(names):
            return self.items(names)
        return ", ".join(names) + self("and") + self.plural("others", total - len(names))

    def count(self, name: str, n: int) -> str:
        return f"{n} {self.noun(name, n)}"

    def value(self, value: Any, currency: str | None = None) -> str:
        """A value as a reader sees it."""
        if value is None:
            return self("not_given")
        if isinstance(value, bool):
            return self("yes" if value else "no")
        if isinstance(value, Decimal):
            return (
                amount_text(value, currency, self.lang)
                if currency
                else format(value.normalize(), "f")
            )
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return ", ".join(self.value(v, currency) for v in value)
        return str(value)
