"""The words of explanations and questions, in English and French.

Call data (labels, sources, questions written in a calls file) stays as written;
only the engine's own words are translated here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from callwatch.i18n import amount_text

# key -> (English, French)
_TEXT: dict[str, tuple[str, str]] = {
    # values
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    "not_given": ("not given", "non renseigné"),
    "not_answered": ("not answered", "sans réponse"),
    "wrong_kind": ("{value} (not usable here)", "{value} (inutilisable ici)"),
    "in_territory": ("{code} (in {outer})", "{code} (dans {outer})"),
    "outside": ("{code} (in {ancestry})", "{code} (dans {ancestry})"),
    # operators
    "op_eq": ("= {v}", "= {v}"),
    "op_in": ("one of {v}", "parmi {v}"),
    "op_any_in": ("including one of {v}", "comprenant l'un de {v}"),
    "op_all_in": ("only among {v}", "uniquement parmi {v}"),
    "op_gte": ("≥ {v}", "≥ {v}"),
    "op_lte": ("≤ {v}", "≤ {v}"),
    "op_between": ("between {a} and {b}", "entre {a} et {b}"),
    "op_within": ("within {v}", "dans {v}"),
    "and": (" and ", " et "),
    # quantities
    "at_least": ("at least {v}", "au moins {v}"),
    "at_most": ("at most {v}", "au plus {v}"),
    "between_bounds": ("between {a} and {b}", "entre {a} et {b}"),
    "range": ("{a} to {b}", "{a} à {b}"),
    "with": ("{noun} with {cond}", "{noun} avec {cond}"),
    "every": ("every {noun}: {cond}", "chaque {noun} : {cond}"),
    "every_with": ("every {noun} with {where}: {cond}", "chaque {noun} avec {where} : {cond}"),
    "all_items": ("all {n} {noun}", "les {n} {noun}"),
    "none_items": ("no {noun}", "aucun {noun}"),
    "failed_by": ("not met by {items}", "non respecté par {items}"),
    "unknown_for": ("unknown for {items}", "inconnu pour {items}"),
    "distinct_of": ("{n} distinct ({values})", "{n} distincts ({values})"),
    "distinct": ("distinct {what}", "{what} distincts"),
    "undeclared": ("control links not declared", "liens de contrôle non déclarés"),
    "not_exact": (
        "control links too intricate to be counted exactly: a range is given",
        "liens de contrôle trop enchevêtrés pour un compte exact : une fourchette est donnée",
    ),
    "controls": ("{a} controls {b}", "{a} contrôle {b}"),
    "common": ("{by} controls {a} and {b}", "{by} contrôle {a} et {b}"),
    "maybe_public": (
        "{by} controls {a} and {b} (public body? not given)",
        "{by} contrôle {a} et {b} (organisme public ? non renseigné)",
    ),
    # consortia
    "members": ("{head}: {members}", "{head} : {members}"),
    "or": (" or ", " ou "),
    "established_in": ("establishment in {v}", "établissement dans {v}"),
    "st_member_state": ("a Member State", "un État membre"),
    "st_associated_country": ("an Associated Country", "un pays associé"),
    "st_associated_pillar_2": (
        "a country associated to Pillar II",
        "un pays associé au pilier II",
    ),
    "st_third_country": ("a third country", "un pays tiers"),
    "in_distinct": (", in distinct {what}", ", dans des {what} distincts"),
    "including": (", including one with {cond}", ", dont au moins un avec {cond}"),
    "no_including": ("no partner with {cond}", "aucun partenaire avec {cond}"),
    "few_values": (
        "only {n} distinct {what}: {values}",
        "{n} {what} distincts seulement : {values}",
    ),
    "not_decided": (
        "could not be decided exactly: too many control links to search",
        "indécidable exactement : trop de liens de contrôle à explorer",
    ),
    # combinators
    "all_of": ("all of: {v}", "tous : {v}"),
    "any_of": ("one of: {v}", "l'un de : {v}"),
    "none_of": ("none of: {v}", "aucun de : {v}"),
    "not": ("not: {v}", "pas : {v}"),
    "all_met": ("all met", "tous respectés"),
    "none_met": ("none met", "aucun respecté"),
    "met_list": ("met: {v}", "respectés : {v}"),
    "not_met_list": ("not met: {v}", "non respectés : {v}"),
    "unknown_list": ("unknown: {v}", "inconnus : {v}"),
    "status_met": ("met", "respecté"),
    "status_not_met": ("not met", "non respecté"),
    "status_unknown": ("unknown", "inconnu"),
    # built-in checks
    "label_call.rounds": (
        "Filing date within an open round",
        "Date de dépôt pendant une session ouverte",
    ),
    "label_call.territory": (
        "Project within the call's territory",
        "Projet dans le territoire de l'appel",
    ),
    "label_call.beneficiaries": (
        "Partners among the call's beneficiaries",
        "Partenaires parmi les bénéficiaires de l'appel",
    ),
    "label_call.funding": ("Eligible costs", "Dépenses éligibles"),
    "label_horizon.ria_ia": (
        "Standard condition (RIA/IA): at least three independent legal entities, each "
        "established in a different Member State or Associated Country, at least one in a "
        "Member State",
        "Condition standard (RIA/IA) : au moins trois entités juridiques indépendantes, "
        "chacune établie dans un État membre ou un pays associé différent, dont au moins "
        "une dans un État membre",
    ),
    "label_horizon.csa": (
        "Standard condition (CSA): at least one legal entity established in a Member State "
        "or an Associated Country",
        "Condition standard (CSA) : au moins une entité juridique établie dans un État "
        "membre ou un pays associé",
    ),
    "round_required": ("a round open on the filing date", "une session ouverte à la date de dépôt"),
    "filing_today": ("today, {day}", "aujourd'hui, {day}"),
    "round_open": (
        "{day}: {round} open until {closes}",
        "{day} : {round} ouverte jusqu'au {closes}",
    ),
    "ongoing_open": ("{day}: ongoing call", "{day} : appel permanent"),
    "round_not_yet": ("{day}: {round} opens on {opens}", "{day} : {round} ouvre le {opens}"),
    "call_not_yet": ("{day}: the call opens on {opens}", "{day} : l'appel ouvre le {opens}"),
    "rounds_over": (
        "{day}: after the last round ({closes})",
        "{day} : après la dernière session ({closes})",
    ),
    "no_round": ("{day}: no round", "{day} : aucune session"),
    "the_round": ("the round", "la session"),
    "among": ("every partner among: {v}", "chaque partenaire parmi : {v}"),
    "eligible_costs": ("eligible costs {v}", "dépenses éligibles {v}"),
    "lines_out": ("{lines} not eligible", "{lines} hors dépenses éligibles"),
    "aid_is": ("aid {v}", "aide {v}"),
    "aid_unknown": ("aid not estimated (no rate)", "aide non estimée (pas de taux)"),
    "positive": ("eligible costs > 0", "dépenses éligibles > 0"),
    "floor": ("eligible costs ≥ {v}", "dépenses éligibles ≥ {v}"),
    "min_aid": ("aid ≥ {v}", "aide ≥ {v}"),
    "eligible_cost_q": ("eligible costs", "dépenses éligibles"),
    "aid_q": ("aid", "aide"),
    "manual_required": ("yes", "oui"),
    # questions
    "q_control": (
        "Which control links exist between the partners (shares, voting rights, decision power)? "
        "Write `control = []` if there are none.",
        "Quels liens de contrôle existent entre les partenaires (parts, droits de vote, pouvoir "
        "de décision) ? Écrire `control = []` s'il n'y en a aucun.",
    ),
    "q_partners": (
        "Who are the partners ([[partners]])?",
        "Qui sont les partenaires ([[partners]]) ?",
    ),
    "q_budget": (
        "What is the budget ([[budget]] lines)?",
        "Quel est le budget (lignes [[budget]]) ?",
    ),
    "q_project.territory": (
        "Where does the project take place (a territory such as FR-63 or commune:63003)?",
        "Où le projet se déroule-t-il (territoire tel que FR-63 ou commune:63003) ?",
    ),
    "q_project.themes": ("What are the project's themes?", "Quels sont les thèmes du projet ?"),
    "q_project.start": ("When does the project start?", "Quand le projet commence-t-il ?"),
    "q_project.end": ("When does the project end?", "Quand le projet se termine-t-il ?"),
    "q_project.title": ("What is the project's title?", "Quel est le titre du projet ?"),
    "q_partner.type": (
        "What kind of entity is {name} (type: commune, association, farmer, private_sector…)?",
        "Quel type d'entité est {name} (type : commune, association, farmer, private_sector…) ?",
    ),
    "q_partner.legal_form": (
        "What is the legal form of {name} (GAEC, EARL, SARL, individual farmer…)?",
        "Quelle est la forme juridique de {name} (GAEC, EARL, SARL, exploitant individuel…) ?",
    ),
    "q_partner.roles": (
        "What roles does {name} play (producer, processor, distributor, retailer…)?",
        "Quels rôles {name} joue-t-il (producer, processor, distributor, retailer…) ?",
    ),
    "q_partner.territory": ("Where is {name} located?", "Où {name} est-il implanté ?"),
    "q_partner.public": (
        "Is {name} a public body (public = true or false)?",
        "{name} est-il un organisme public (public = true ou false) ?",
    ),
    "q_partner.other": ("{field} of {name}?", "{field} de {name} ?"),
    "q_budget.partner": (
        "Which partner carries the line {name}?",
        "Quel partenaire porte la ligne {name} ?",
    ),
    "q_eu_country": (
        "Is {country} a Member State or an Associated Country of Horizon Europe? The shipped "
        "list names it as under negotiation: check the Commission's current list.",
        "{country} est-il un État membre ou un pays associé d'Horizon Europe ? La liste livrée "
        "le dit en cours de négociation : vérifier la liste actuelle de la Commission.",
    ),
    "q_answer": ("Answer to {name}?", "Réponse à {name} ?"),
    # callwatch check
    "verdict_eligible": ("eligible", "éligible"),
    "verdict_not_eligible": ("not eligible", "non éligible"),
    "verdict_incomplete": ("incomplete", "incomplet"),
    "h_verdict": ("Verdict", "Verdict"),
    "h_why": ("Why", "Motif"),
    "h_aid": ("Estimated aid", "Aide estimée"),
    "h_criteria": ("Criteria", "Critères"),
    "h_questions": ("Questions to answer", "Questions à renseigner"),
    "h_lines": ("Budget lines not eligible", "Lignes de budget non éligibles"),
    "h_funding": ("Funding", "Financement"),
    "h_line": ("Line", "Ligne"),
    "h_category": ("Category", "Catégorie"),
    "h_amount": ("Amount", "Montant"),
    "h_reason": ("Reason", "Motif"),
    "general_only": ("only general conditions checked", "conditions générales seulement"),
    "general_only_note": (
        "This call encodes no eligibility criteria: only its general conditions (filing date, "
        "territory, beneficiaries, eligible costs) were checked.",
        "Cet appel ne décrit aucun critère d'éligibilité : seules ses conditions générales (date "
        "de dépôt, territoire, bénéficiaires, dépenses éligibles) ont été vérifiées.",
    ),
    "found": ("found: ", "constaté : "),
    "required": ("required: ", "exigé : "),
    "source": ("source: ", "source : "),
    "from_call": ("the call's own fields", "champs de l'appel"),
    "bears_on": ("bears on: ", "concerne : "),
    "project": ("Project", "Projet"),
    "filing": ("Filing date", "Date de dépôt"),
    "eligible_total": ("Eligible costs", "Dépenses éligibles"),
    "rate": ("Rate", "Taux"),
    "no_rate": (
        "not estimated: the call gives no rate",
        "non estimée : l'appel ne donne pas de taux",
    ),
    "no_budget": ("not estimated: no budget given", "non estimée : budget non renseigné"),
    "no_funding": (
        "not estimated: the call states no funding rules",
        "non estimée : l'appel ne précise pas son financement",
    ),
    "capped_max_aid": ("capped at the maximum aid", "plafonnée à l'aide maximale"),
    "capped_max_eligible_cost": (
        "eligible costs capped at the call's maximum",
        "dépenses éligibles plafonnées au maximum de l'appel",
    ),
    "reason_not_listed": (
        "category not among the call's eligible costs",
        "catégorie absente des dépenses éligibles de l'appel",
    ),
    "reason_excluded": ("category excluded by the call", "catégorie exclue par l'appel"),
    "no_calls": ("No call to check.", "Aucun appel à vérifier."),
}

# noun -> (English singular, plural, French singular, plural)
_NOUNS: dict[str, tuple[str, str, str, str]] = {
    "partners": ("partner", "partners", "partenaire", "partenaires"),
    "independent": (
        "independent partner",
        "independent partners",
        "partenaire indépendant",
        "partenaires indépendants",
    ),
    "budget": ("budget line", "budget lines", "ligne de budget", "lignes de budget"),
    "country": ("country", "countries", "pays", "pays"),
    "questions": ("question", "questions", "question", "questions"),
}


class Say:
    """Phrases in one language: ``say("at_least", v=2)``."""

    def __init__(self, lang: str) -> None:
        self.fr = lang == "fr"

    def __call__(self, key: str, **values: Any) -> str:
        en, fr = _TEXT[key]
        return (fr if self.fr else en).format(**values)

    def has(self, key: str) -> bool:
        return key in _TEXT

    def has_noun(self, name: str) -> bool:
        return name in _NOUNS

    def noun(self, name: str, n: int | None = None) -> str:
        """The noun for *n* things (plural when *n* is None)."""
        one, many, un, des = _NOUNS[name]
        single = n is not None and (n <= 1 if self.fr else n == 1)
        if self.fr:
            return un if single else des
        return one if single else many

    def count(self, name: str, n: int) -> str:
        return f"{n} {self.noun(name, n)}"

    def value(self, value: Any, currency: str | None = None) -> str:
        """A value as a reader sees it."""
        if value is None:
            return self("not_given")
        if isinstance(value, bool):
            return self("yes" if value else "no")
        if isinstance(value, Decimal):
            return amount_text(value, currency) if currency else format(value.normalize(), "f")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return ", ".join(self.value(v, currency) for v in value)
        return str(value)
