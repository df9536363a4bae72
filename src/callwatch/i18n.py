"""callwatch's own words, in French and English: one table, one lookup.

Call data stays in the language it was written in; only our own labels change.
Keys are grouped by where they are shown: plain keys are shared (``list``,
``show`` and the others), ``show.*`` are the fields of ``callwatch show``,
``digest.*`` the e-mail digest and ``ics.*`` the calendar export. The
explanations of ``callwatch check`` have their own phrase book, with plurals
(:mod:`callwatch.rules.phrases`).
"""

from __future__ import annotations

import os
from decimal import Decimal

LANG_ENV = "CALLWATCH_LANG"
LANGS = ("fr", "en")
# Babel's locale for each language: dates in the digest are written the same
# way whatever the locale of the machine (cron runs with LANG=C).
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_WORDS: dict[str, dict[str, str]] = {
    # shared: statuses, column headings, days
    "upcoming": {"fr": "à venir", "en": "upcoming"},
    "open": {"fr": "ouvert", "en": "open"},
    "closing_soon": {"fr": "clôture proche", "en": "closing soon"},
    "closed": {"fr": "clos", "en": "closed"},
    "deadline": {"fr": "Échéance", "en": "Deadline"},
    "days": {"fr": "Jours", "en": "Days"},
    "status": {"fr": "Statut", "en": "Status"},
    "id": {"fr": "Id", "en": "Id"},
    "title": {"fr": "Intitulé", "en": "Title"},
    "round": {"fr": "Session", "en": "Round"},
    "today": {"fr": "aujourd'hui", "en": "today"},
    "tomorrow": {"fr": "demain", "en": "tomorrow"},
    "days_before": {"fr": "J-{n}", "en": "D-{n}"},
    "days_ago": {"fr": "il y a {n} j", "en": "{n} d ago"},
    "permanent": {"fr": "permanent", "en": "ongoing"},
    "end_of_day": {"fr": "fin de journée", "en": "end of day"},
    "opens": {"fr": "ouvre le", "en": "opens"},
    "recurring": {"fr": "récurrent", "en": "recurring"},
    "yes": {"fr": "oui", "en": "yes"},
    "colon": {"fr": " : ", "en": ": "},  # French typography: a space before the colon
    # callwatch list
    "nothing_due": {
        "fr": "Aucune échéance d'ici le {end}.",
        "en": "Nothing due by {end}.",
    },
    "nothing": {"fr": "Aucun appel ne correspond.", "en": "No call matches."},
    "hidden_columns": {
        "fr": "(non affiché, trop étroit : {names})",
        "en": "(not shown, too narrow: {names})",
    },
    # callwatch show
    "show.measure": {"fr": "Mesure", "en": "Measure"},
    "show.funders": {"fr": "Financeurs", "en": "Funders"},
    "show.territory": {"fr": "Territoire", "en": "Territory"},
    "show.beneficiaries": {"fr": "Bénéficiaires", "en": "Beneficiaries"},
    "show.not_stated": {"fr": "non précisé", "en": "not stated"},
    "show.themes": {"fr": "Thèmes", "en": "Themes"},
    "show.aid_types": {"fr": "Types d'aide", "en": "Aid types"},
    "show.opens": {"fr": "Ouverture", "en": "Opens"},
    "show.recurrence": {"fr": "Récurrence", "en": "Recurrence"},
    "show.ongoing": {"fr": "Permanent", "en": "Ongoing"},
    "show.timezone": {"fr": "Fuseau", "en": "Time zone"},
    "show.remind_days": {"fr": "Rappels (jours)", "en": "Reminders (days)"},
    "show.rounds": {"fr": "Sessions", "en": "Rounds"},
    "show.funding": {"fr": "Financement", "en": "Funding"},
    "show.eligible_costs": {"fr": "Dépenses éligibles", "en": "Eligible costs"},
    "show.ineligible_costs": {"fr": "Dépenses non éligibles", "en": "Ineligible costs"},
    "show.rate": {"fr": "Taux", "en": "Rate"},
    "show.min_eligible_cost": {"fr": "Dépense éligible min.", "en": "Min. eligible cost"},
    "show.max_eligible_cost": {"fr": "Dépense éligible max.", "en": "Max. eligible cost"},
    "show.min_aid": {"fr": "Aide min.", "en": "Min. aid"},
    "show.max_aid": {"fr": "Aide max.", "en": "Max. aid"},
    "show.criteria": {"fr": "Critères", "en": "Criteria"},
    "show.criterion": {"fr": "Critère", "en": "Criterion"},
    "show.defined_in": {"fr": "Défini dans", "en": "Defined in"},
    # callwatch digest: the e-mail
    "digest.hello": {"fr": "Bonjour {name},", "en": "Hello {name},"},
    "digest.hello_anon": {"fr": "Bonjour,", "en": "Hello,"},
    "digest.intro": {
        "fr": "Voici votre veille des appels à projets du {day}.",
        "en": "Here is your funding-calls digest for {day}.",
    },
    "digest.baseline": {
        "fr": "C'est votre premier envoi : il liste les échéances à venir. Les prochains "
        "signaleront aussi les appels nouveaux ou modifiés.",
        "en": "This is your first digest: it lists the coming deadlines. Later ones will "
        "also point out new and changed calls.",
    },
    "digest.reminders": {"fr": "Rappels", "en": "Reminders"},
    "digest.new_calls": {"fr": "Nouveaux appels", "en": "New calls"},
    "digest.changed_calls": {"fr": "Appels modifiés", "en": "Changed calls"},
    "digest.deadlines": {"fr": "Échéances d'ici le {day}", "en": "Deadlines until {day}"},
    "digest.week": {"fr": "Cette semaine", "en": "This week"},
    "digest.month": {"fr": "Ce mois-ci", "en": "This month"},
    "digest.later": {"fr": "Plus tard", "en": "Later"},
    "digest.no_deadline": {
        "fr": "Aucune échéance d'ici le {day}.",
        "en": "No deadline until {day}.",
    },
    "digest.closes": {"fr": "Clôture : {when}", "en": "Closes: {when}"},
    "digest.next_deadline": {"fr": "Prochaine échéance : {when}", "en": "Next deadline: {when}"},
    "digest.permanent": {"fr": "Appel permanent, sans date limite", "en": "Ongoing, no deadline"},
    "digest.no_next": {"fr": "Pas d'échéance à venir", "en": "No coming deadline"},
    "digest.late": {
        "fr": "Rappel prévu le {day}, envoyé en retard.",
        "en": "This reminder was due on {day}; it is sent late.",
    },
    "digest.reopened": {"fr": "Rouvert", "en": "Re-opened"},
    "digest.moved": {
        "fr": "Date limite déplacée : {old} → {new}",
        "en": "Deadline moved: {old} → {new}",
    },
    "digest.new_round": {"fr": "Nouvelle session : {new}", "en": "New round: {new}"},
    "digest.removed_round": {"fr": "Session retirée : {old}", "en": "Round removed: {old}"},
    "digest.title": {"fr": "Nouvel intitulé (avant : {old})", "en": "New title (was: {old})"},
    "digest.url": {"fr": "Nouveau lien : {new}", "en": "New link: {new}"},
    "digest.ongoing_true": {"fr": "Devenu permanent", "en": "Now ongoing"},
    "digest.ongoing_false": {"fr": "N'est plus permanent", "en": "No longer ongoing"},
    "digest.rrule": {"fr": "Récurrence modifiée", "en": "Recurrence changed"},
    "digest.source": {"fr": "Source : {text}", "en": "Source: {text}"},
    "digest.link": {"fr": "Lien : {url}", "en": "Link: {url}"},
    "digest.footer": {
        "fr": "Message envoyé automatiquement par callwatch. Chaque rappel n'est envoyé "
        "qu'une fois.",
        "en": "Sent automatically by callwatch. Each reminder is sent only once.",
    },
    "digest.subject_deadlines": {
        "fr": "callwatch : {n} échéance{s} — la plus proche le {day}",
        "en": "callwatch: {n} deadline{s} — nearest on {day}",
    },
    "digest.subject_reminder": {
        "fr": "callwatch : rappel {label} — échéance le {day}",
        "en": "callwatch: reminder {label} — deadline on {day}",
    },
    "digest.subject_news": {
        "fr": "callwatch : {n} appel{s} nouveau{x} ou modifié{s}",
        "en": "callwatch: {n} new or changed call{s}",
    },
    "digest.test_subject": {"fr": "callwatch : message de test", "en": "callwatch: test message"},
    "digest.test_body": {
        "fr": "Ce message vérifie les réglages d'envoi de callwatch ({where}). S'il vous "
        "parvient, le serveur accepte les digests.",
        "en": "This message checks callwatch's mail settings ({where}). If you read it, "
        "the server accepts digests.",
    },
    # callwatch export: calendar events
    "ics.deadline": {"fr": "Clôture", "en": "Deadline"},
    "ics.when": {"fr": "Date limite", "en": "Deadline"},
    "ics.programme": {"fr": "Programme", "en": "Programme"},
    "ics.sources": {"fr": "Sources", "en": "Sources"},
}


def resolve_lang(option: str | None = None) -> str:
    """``--lang``, else ``CALLWATCH_LANG``, else French when the locale is French."""
    for candidate in (option, os.environ.get(LANG_ENV)):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGS:
                return code
            raise ValueError(f"unknown language {candidate!r}: expected fr or en")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


_current = ["en"]


def use(lang: str) -> None:
    """Make *lang* the language of messages that name none (set once per command)."""
    _current[0] = lang if lang in LANGS else "en"


def current_lang() -> str:
    return _current[0]


def t(key: str, lang: str, **values: object) -> str:
    """The word *key* in *lang* (English when *lang* is not one of ours), filled in."""
    word = _WORDS[key].get(lang) or _WORDS[key]["en"]
    return word.format(**values) if values else word


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["en"])


def amount_text(value: Decimal, currency: str | None = "EUR") -> str:
    """Money for people: ``18 000.00 EUR`` (two decimals, thin spaces between thousands)."""
    text = f"{value:,.2f}".replace(",", "\u202f")
    return f"{text} {currency}" if currency else text
