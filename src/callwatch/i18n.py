"""callwatch's own words, in French and English: one mechanism, gettext.

Every message a person reads is written in English in the code and marked for
translation: ``_("...")`` (the current language), ``ngettext`` for plurals, or a
key of a word table (:data:`_WORDS`, the phrase book of
:mod:`callwatch.rules.phrases`) looked up in a given language with :func:`t`.
The French lives in one place, ``locale/fr/LC_MESSAGES/callwatch.po``, compiled
to the ``.mo`` beside it (``python scripts/catalog.py``, docs/i18n.md); word
table entries carry their key as gettext context, so one English word may have
two French ones ("Deadline": "Échéance" in a table, "Clôture" in a calendar).

Call data stays in the language it was written in. The language is chosen once,
before the command line is built (help texts are evaluated when commands
register): ``--lang``, else ``$CALLWATCH_LANG``, else the locale (:func:`pick`).
Numbers, money and percentages are formatted by Babel for that language.
"""

from __future__ import annotations

import gettext
import os
import re
import string
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

LANG_ENV = "CALLWATCH_LANG"
LANGS = ("fr", "en")
DOMAIN = "callwatch"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# Babel's locale for each language: dates in the digest are written the same
# way whatever the locale of the machine (cron runs with LANG=C).
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_WORDS: dict[str, str] = {
    # shared: statuses, column headings, days, list
    "upcoming": "upcoming",
    "open": "open",
    "closing_soon": "closing soon",
    "closed": "closed",
    "deadline": "Deadline",
    "days": "Days",
    "status": "Status",
    "id": "Id",
    "title": "Title",
    "round": "Round",
    "today": "today",
    "tomorrow": "tomorrow",
    "days_before": "D-{n}",
    "days_ago": "{n} d ago",
    "permanent": "ongoing",
    "end_of_day": "end of day",
    "opens": "opens",
    "recurring": "recurring",
    "yes": "yes",
    "no": "no",
    "invited": "invited only",
    "colon": ": ",
    "nothing_due": "Nothing due by {end}.",
    "nothing": "No call matches.",
    "hidden_columns": "(not shown, too narrow: {names})",
    "stale_mark": "verify",
    "stale_note": (
        '"verify": source last checked more than {days} days ago; '
        "check the call's page before relying on it."
    ),
    "withdrawn": "withdrawn",
    # callwatch show
    "show.measure": "Measure",
    "show.funders": "Funders",
    "show.territory": "Territory",
    "show.beneficiaries": "Beneficiaries",
    "show.not_stated": "not stated",
    "show.themes": "Themes",
    "show.aid_types": "Aid types",
    "show.opens": "Opens",
    "show.recurrence": "Recurrence",
    "show.ongoing": "Ongoing",
    "show.action_type": "Type of action",
    "show.perimeter": "Area (as the source says)",
    "show.call_for_projects": "Call for proposals",
    "show.apply": "Apply",
    "show.checked": "Checked at source",
    "show.checked_stale": "{day} ({n} days ago: verify)",
    "show.withdrawn": "{day} (no longer returned by its source)",
    "show.timezone": "Time zone",
    "show.remind_days": "Reminders (days)",
    "show.rounds": "Rounds",
    "show.funding": "Funding",
    "show.eligible_costs": "Eligible costs",
    "show.ineligible_costs": "Ineligible costs",
    "show.rate": "Rate",
    "show.min_eligible_cost": "Min. eligible cost",
    "show.max_eligible_cost": "Max. eligible cost",
    "show.min_aid": "Min. aid",
    "show.max_aid": "Max. aid",
    "show.criteria": "Criteria",
    "show.criterion": "Criterion",
    "show.defined_in": "Defined in",
    "show.programme": "Programme",
    "show.description": "Description",
    "show.sources": "Sources",
    "show.source": "Source",
    "show.url": "URL",
    "show.note": "Note",
    # callwatch digest: the e-mail
    "digest.hello": "Hello {name},",
    "digest.hello_anon": "Hello,",
    "digest.intro": "Here is your funding-calls digest for {day}.",
    "digest.baseline": (
        "This is your first digest: it lists the coming deadlines. Later ones will also "
        "point out new and changed calls."
    ),
    "digest.reminders": "Reminders",
    "digest.new_calls": "New calls",
    "digest.changed_calls": "Changed calls",
    "digest.deadlines": "Deadlines until {day}",
    "digest.week": "This week",
    "digest.month": "This month",
    "digest.later": "Later",
    "digest.no_deadline": "No deadline until {day}.",
    "digest.closes": "Closes: {when}",
    "digest.next_deadline": "Next deadline: {when}",
    "digest.permanent": "Ongoing, no deadline",
    "digest.no_next": "No coming deadline",
    "digest.late": "This reminder was due on {day}; it is sent late.",
    "digest.reopened": "Re-opened",
    "digest.moved": "Deadline moved: {old} → {new}",
    "digest.new_round": "New round: {new}",
    "digest.removed_round": "Round removed: {old}",
    "digest.title": "New title (was: {old})",
    "digest.url": "New link: {new}",
    "digest.ongoing_true": "Now ongoing",
    "digest.ongoing_false": "No longer ongoing",
    "digest.rrule": "Recurrence changed",
    "digest.source": "Source: {text}",
    "digest.view_call": "View the call",
    "digest.footer": "Sent automatically by callwatch. Each reminder is sent only once.",
    "digest.subject_deadlines": "callwatch: {n} deadline{s} — nearest on {day}",
    "digest.subject_reminder": "callwatch: reminder {label} — deadline on {day}",
    "digest.subject_news": "callwatch: {n} new or changed call{s}",
    "digest.test_subject": "callwatch: test message",
    "digest.test_body": (
        "This message checks callwatch's mail settings ({where}). If you read it, the "
        "server accepts digests."
    ),
    # territories: callwatch territory, and what validate and list note about a code
    "territory.within": "within",
    "territory.note": "note: ",
    "territory.no_match": "no territory matches '{query}'{hint}",
    "territory.did_you_mean": " (did you mean {names}?)",
    "territory.kind.country": "country",
    "territory.kind.region": "region",
    "territory.kind.department": "département",
    "territory.kind.collectivity": "collectivity",
    "territory.kind.epci": "EPCI (inter-municipal body)",
    "territory.kind.commune": "commune",
    "territory.kind.territory": "team territory",
    # the digest's "Your projects" section (callwatch.digest.projects)
    "digest.projects": "Your projects",
    "digest.project_eligible": "Eligible",
    "digest.project_no_longer": "No longer eligible: {reason}",
    "digest.project_incomplete": "Incomplete: {n} question{s} left",
    "digest.project_detail": "Details: {command}",
    "digest.project_qualifies": "Your project “{title}” qualifies for this call.",
    "digest.subject_projects": "callwatch: your projects — {n} call{s} to look at",
    # callwatch export: calendar events
    "ics.deadline": "Deadline",
    "ics.when": "Deadline",
    "ics.programme": "Programme",
    "ics.sources": "Sources",
}


_current = ["en"]


def resolve_lang(option: str | None = None, team: Callable[[], str | None] | None = None) -> str:
    """``--lang``, else ``CALLWATCH_LANG``, else the team's default (*team*: the team
    file's ``[defaults] lang``, read only when needed), else French when the locale is."""
    for candidate in (option, os.environ.get(LANG_ENV)):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGS:
                return code
            raise ValueError(
                _("unknown language {value!r}: expected fr or en").format(value=candidate)
            )
    chosen = team() if team is not None else None
    if chosen in LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def pick(argv: Sequence[str], team: Callable[[], str | None] | None = None) -> str:
    """The language of a command line, read before it is parsed (help texts need it first).

    A wrong ``--lang`` gives English here; the command then reports it.
    """
    option = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            option = argv[i + 1]
        elif arg.startswith("--lang="):
            option = arg.partition("=")[2]
    try:
        return resolve_lang(option, team)
    except ValueError:
        return "en"


def use(lang: str) -> None:
    """Make *lang* the language of messages that name none (set once per command)."""
    _current[0] = lang if lang in LANGS else "en"


def current_lang() -> str:
    return _current[0]


@lru_cache(maxsize=4)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of *lang*; English is the code's own text."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """*message* in the current language."""
    return catalog(_current[0]).gettext(message)


def N_(message: str) -> str:
    """Mark *message* for translation where it is defined; translate it where it is shown."""
    return message


# How a territory written otherwise than canonically was read, and why (the notes of
# callwatch.domain.territories.Match): plain messages, not keyed words, so that a note
# worded in English when a file was validated (and cached) is translated where shown.
READS_AS = N_("'{query}' reads as {code} ({name})")
READS_AS_NOTE = N_("'{query}' reads as {code} ({name}); {note}")
FORMER_COMMUNE = N_(" (a former commune, now part of {names})")  # worded in the domain too
TERRITORY_NOTES = {
    "paris": N_("the ISO 3166-2 code of Paris is FR-75C"),
    "corsica": N_("FR-COR is the former ISO 3166-2 code of Corse"),
    "commune_code": N_("a commune is written commune:INSEE-CODE"),
    "overseas": N_(
        "by name, a French overseas territory is read as its French subdivision, "
        "not as a country of ISO 3166-1"
    ),
    "paris_commune": N_(
        "the commune of Paris (commune:75056) is the same territory as the collectivity FR-75C"
    ),
}
# Python's own words for an impossible date (``date(2027, 2, 31)``), which some of our
# messages quote (an import's skip reason, ``add --deadline``): marked here so that
# :func:`localize` translates them too.
PYTHON_DATE_ERRORS = (
    N_("day is out of range for month"),
    N_("month must be in 1..12"),
    N_("year {year} is out of range"),
)
# The csv module's words for a cell over its limit (an import file), quoted by our
# "not a readable CSV export" message: translated where shown likewise.
CSV_ERRORS = (N_("field larger than field limit ({limit})"),)
# Messages worded in callwatch.domain, which is below this module and cannot mark them:
# the same templates (the names of the blanks do not matter, only the words), marked
# here so that :func:`localize` translates them where they are shown.
DOMAIN_MESSAGES = (
    N_("unknown time zone {name!r}: expected an IANA name such as Europe/Paris"),
    N_("invalid date {text!r}: expected YYYY-MM-DD or an ISO 8601 date-time"),
    N_(
        "invalid window {text!r}: expected a number of days (30, 14d), weeks (2w), "
        "months (3m), years (1y) or a date (YYYY-MM-DD)"
    ),
    N_("unknown territory code {query!r}{hint}: {expected}"),
    N_(
        "expected an ISO 3166 code (FR, FR-ARA, FR-63), commune:INSEE, epci:SIREN, "
        "a département number, a postal code, a name or a team territory id"
    ),
    N_("ambiguous territory {query!r}: {n} candidates: {shown}{tail}"),
    N_("ambiguous member {query!r}: {n} candidates: {shown}{tail}"),
    N_(" (and {n} more: `callwatch territory {query}` lists them all)"),
    N_("duplicate territory id {id!r}"),
    N_("territory id {id!r}: expected lower-case words joined by -"),
    N_("territory id {id!r} already names {what}: choose another"),
    N_("territory {id!r} contains itself through its members"),
    N_("unknown member {member!r}{hint}"),
    N_("unknown code {code!r}: expected one of {codes}"),
    N_("a whole number of days (0 or more)"),
    N_("invalid rrule {text!r}: {why}"),
    N_("it never occurs between 1900 and 2200"),
    N_("give one rule such as FREQ=YEARLY;BYMONTH=3 (no DTSTART, TZID or other line)"),
    N_("{part!r} is not NAME=VALUE"),
    N_("{key} is not allowed: the call's first deadline or `opens` starts the rule"),
    N_("{key} is not allowed: a call recurs at most daily"),
    N_("unknown part {key}"),
    N_("{key} is given twice"),
    N_("FREQ is missing"),
    N_("no such day in those months: it never occurs"),
    N_("FREQ={freq} is not allowed: expected one of {expected}"),
    N_("{key}={value} is not allowed: expected a whole number from 1 to {top}"),
    N_("{key}={values} is not allowed: {value!r} is out of range"),
    N_("{key} is not allowed with FREQ={freq}: write a MONTHLY or YEARLY rule"),
    N_("give COUNT or UNTIL, not both (RFC 5545)"),
    N_("UNTIL={until} is not allowed: expected a date between 1900 and 2200"),
    N_("character U+{code} at position {n} is not allowed in a link"),
)
# The json module's words for a malformed document (an import file, a portal's answer).
JSON_ERRORS = (
    N_("Expecting value"),
    N_("Extra data"),
    N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
)
# tomllib's words for a malformed TOML file (rtoml's are not shown: a document it rejects
# is parsed again by tomllib, whose errors give the line), their first letter lowered as
# callwatch.files.loading shows them.
TOML_ERRORS = (
    N_("an object other than list found behind this key"),
    N_("cannot overwrite a value"),
    N_("escaped character is not a Unicode scalar value"),
    N_("expected '=' after a key in a key/value pair"),
    N_("expected ']' at the end of a table declaration"),
    N_("expected ']]' at the end of an array declaration"),
    N_("invalid date or datetime"),
    N_("invalid hex value"),
    N_("invalid initial character for a key part"),
    N_("invalid statement"),
    N_("invalid value"),
    N_("there is no nest behind this key"),
    N_("unclosed array"),
    N_("unclosed inline table"),
    N_("unescaped '\\' in a string"),
    N_("unterminated string"),
    N_("cannot declare {key} twice"),
    N_("cannot mutate immutable namespace {key}"),
    N_("cannot redefine namespace {key}"),
    N_("duplicate inline table key {key!r}"),
    N_("expected {expect!r}"),
    N_("found invalid character {char!r}"),
    N_("illegal character {char!r}"),
)
# The system's words for the usual failures of a file (``OSError.strerror``), quoted by
# our messages ("cannot write: Permission denied"): translated where shown likewise.
OS_ERRORS = (
    N_("Permission denied"),
    N_("No such file or directory"),
    N_("Is a directory"),
    N_("Not a directory"),
    N_("File exists"),
    N_("Read-only file system"),
    N_("No space left on device"),
    N_("Disk quota exceeded"),
    N_("Too many levels of symbolic links"),
    N_("File name too long"),
    N_("Operation not permitted"),
    N_("Connection refused"),
)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The singular or plural form for *n* (French counts 0 and 1 as singular)."""
    return catalog(lang or _current[0]).ngettext(singular, plural, n)


def gettext_in(lang: str, message: str) -> str:
    """*message* in *lang*, whatever the current language (a digest in each reader's)."""
    return catalog(lang).gettext(message)


def pgettext_in(lang: str, context: str, message: str) -> str:
    return catalog(lang).pgettext(context, message)


# a file (and line) kept as written; an option ("--deadline: …") is not a file
_LOCATION = re.compile(r"^((?:callwatch|[^\s:-][^\s:]*(?::\d+)?): )")
_LINE = re.compile(r"([^\s:]+:\d+: )")


def localize(text: str, lang: str | None = None) -> str:
    """A message composed in English (an error, a problem read back from the cache), in
    *lang*: each part that is a catalog message, or fills one of its templates
    (``unknown field {where!r}{hint}``), is translated; ``file:line:`` is kept.

    Problems are worded when a file is validated and cached as such, whatever the
    reader's language; they are translated here, where they are shown.
    """
    lang = lang or _current[0]
    if lang == "en" or not text:
        return text
    match = _LOCATION.match(text)
    head = match.group(1) if match else ""
    if head == "callwatch: ":  # and the file:line of the error, kept too
        place = _LINE.match(text, len(head))
        head += place.group(1) if place else ""
    return head + _localize(text[len(head) :], lang, 6)


def _localize(text: str, lang: str, depth: int) -> str:
    if not text.strip():
        return text  # gettext("") is the catalog's header
    table = catalog(lang)
    exact = table.gettext(text)
    if exact != text or depth == 0:
        return exact
    hinted = _hinted(text, lang, depth) if text.endswith(")") else None
    for pattern, names, french, kept in _templates(lang):
        found = pattern.fullmatch(text)
        if found:
            if hinted is not None and any(found.group(n).endswith(hinted[1]) for n in names):
                continue  # an open-ended blank ("inside {scope}") swallowed the hint
            values = {
                n: found.group(n) if n in kept else _localize(found.group(n), lang, depth - 1)
                for n in names
            }
            return french.format(**values)
    if hinted is not None:
        return hinted[0]
    head, sep, tail = text.partition(": ")
    if sep:
        first, rest = _localize(head, lang, depth - 1), _localize(tail, lang, depth - 1)
        if first == head and rest == tail:
            return text  # nothing of ours (or already translated): left as it is
        return first + table.pgettext("colon", ": ") + rest
    return text


def _hinted(text: str, lang: str, depth: int) -> tuple[str, str] | None:
    """*text* whose end is a hint appended to a message (" (did you mean …?)") translated,
    and that hint as written; None when *text* ends with no known hint."""
    for pattern, names, french, _kept in _templates(lang):
        if not pattern.pattern.startswith(r"\ \("):
            continue
        found = pattern.search(text)
        if found and found.end() == len(text) and found.start() > 0:
            values = {n: found.group(n) for n in names}
            head = _localize(text[: found.start()], lang, depth - 1)
            return head + french.format(**values), text[found.start() :]
    for hint, french in _hints(lang):
        if text.endswith(hint) and len(text) > len(hint):
            return _localize(text[: -len(hint)], lang, depth - 1) + french, hint
    return None


# Blanks that hold what the user wrote or named (an id, a path, a query), never one of
# our messages: their values are kept as they are ("no call with id 'none'" stays so).
USER_VALUES = frozenset(
    {"id", "ident", "call_id", "title", "path", "file", "directory", "query", "code", "value"}
    | {"place", "address", "url", "member", "label", "text", "source"}
)
_QUOTES = ("'", '"', "\u201c")  # a blank inside quotes: a value


@lru_cache(maxsize=2)
def _templates(lang: str) -> list[tuple[re.Pattern[str], list[str], str, frozenset[str]]]:
    """Every catalog message with placeholders, as a pattern that finds its values, and
    the blanks whose values are the user's (quoted, or named so: :data:`USER_VALUES`),
    never translated; the most specific (longest fixed text) first."""
    out = []
    messages = getattr(catalog(lang), "_catalog", {})
    for key, french in messages.items():
        if not isinstance(key, str) or "{" not in key or "\x04" in key:
            continue  # plural forms and keyed words are not message templates
        pattern, names, fixed, kept = "", [], 0, set()
        parts = list(string.Formatter().parse(key))
        for at, (literal, name, _spec, conv) in enumerate(parts):
            pattern += re.escape(literal)
            fixed += len(literal)
            if name is None:
                continue
            if not name.isidentifier() or name in names:
                pattern = ""
                break
            # a repr'd value: quoted, without its quote inside
            if conv == "r":
                pattern += f"'(?P<{name}>[^']*)'"
            elif not pattern and at + 1 < len(parts) and parts[at + 1][0].startswith("="):
                # A message opening with NAME=VALUE ("{key}={value} is not allowed…"):
                # the name is one word, so the blank cannot swallow the context the
                # message sits in ("invalid rrule 'FREQ=WEEKLY;INTERVAL=0': …").
                pattern += f"(?P<{name}>\\w+)"
            else:
                pattern += f"(?P<{name}>.*?)"
            names.append(name)
            if conv == "r" or name in USER_VALUES or literal.endswith(_QUOTES):
                kept.add(name)
        if pattern and names:
            # a repr'd blank is found without its quotes: put them back as written, not
            # by repr() again (which would double a backslash: '\\n')
            french = re.sub(r"\{(\w+)!r\}", r"'{\1}'", str(french))
            out.append((re.compile(pattern, re.DOTALL), names, fixed, french, kept))
    out.sort(key=lambda item: -item[2])
    return [(p, n, f, frozenset(k)) for p, n, _fixed, f, k in out]


@lru_cache(maxsize=2)
def _hints(lang: str) -> list[tuple[str, str]]:
    """Catalog messages that are hints appended to others: `` (at the end of the file)``."""
    messages = getattr(catalog(lang), "_catalog", {})
    return [
        (key, str(french))
        for key, french in messages.items()
        if isinstance(key, str) and key.startswith(" (") and "{" not in key
    ]


def t(key: str, lang: str, **values: object) -> str:
    """The word *key* in *lang* (English when *lang* is not one of ours), filled in."""
    word = catalog(lang).pgettext(key, _WORDS[key])
    return word.format(**values) if values else word


def reading_note(query: str, code: str, name: str, note: str | None, lang: str) -> str:
    """How a territory written otherwise than canonically was read ("Ambert" reads as
    commune:63003), with the note on an old code (FR-75, FR-COR) when there is one."""
    if note is None:
        return gettext_in(lang, READS_AS).format(query=query, code=code, name=name)
    told = territory_note(note, lang)
    return gettext_in(lang, READS_AS_NOTE).format(query=query, code=code, name=name, note=told)


def territory_note(key: str, lang: str) -> str:
    """The note of a reading (:data:`TERRITORY_NOTES`) in *lang*."""
    return gettext_in(lang, TERRITORY_NOTES[key])


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["en"])


def amount_text(value: Decimal, currency: str | None = "EUR", lang: str | None = None) -> str:
    """Money for people, the one place for it: ``107 000,00 €`` in French, ``€107,000.00``
    in English (Babel, two decimals); without a currency, the number alone."""
    # lazy: Babel only to write an amount (--help loads none)
    from babel.numbers import format_currency, format_decimal

    locale = babel_locale(lang or _current[0])
    if not currency:
        return str(format_decimal(value, format="#,##0.00", locale=locale))
    return str(format_currency(value, currency, locale=locale))


def percent_text(rate: Decimal, lang: str | None = None) -> str:
    """A rate for people: ``60 %`` in French, ``60%`` in English (0.6 in the files)."""
    # lazy: Babel only to write a rate (--help loads none)
    from babel import Locale
    from babel.numbers import format_percent

    locale = Locale.parse(babel_locale(lang or _current[0]))
    pattern = locale.percent_formats[None].pattern  # "#,##0\u202f%" in French
    head, _zero, tail = pattern.rpartition("0")
    return str(format_percent(rate, format=f"{head}0.##{tail}", locale=locale))


def territory_text(code: str, lang: str | None = None) -> str:
    """``DE (Allemagne)``: a territory code and its name in the reader's language
    (:func:`place_name_text`); the code alone when it has no name."""
    found = place_name_text(code, lang)
    return f"{code} ({found})" if found != code else code


def place_name_text(code: str, lang: str | None = None) -> str:
    """The name of an ISO 3166 code in the reader's language (pycountry's own catalogs
    translate it); a commune, EPCI or team territory's own name; the code when unknown."""
    # lazy: codes (pycountry names) only to write a territory (--help loads none)
    from callwatch.domain.codes import territory_name

    name = territory_name(code)
    if not name:
        # lazy: territories (its table) only for a commune, EPCI or team territory
        from callwatch.domain.territories import name as place_name

        return place_name(code)  # communes and EPCI too, not only ISO codes
    lang = lang or _current[0]
    if lang != "en":
        # lazy: pycountry's catalogs only for a territory named in French
        import pycountry

        domain = "iso3166-2" if "-" in code else "iso3166-1"
        name = gettext.translation(
            domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True
        ).gettext(name)
    return name


def cost_text(category: str, lang: str | None = None) -> str:
    """An eligible-cost category as written in a calls file, translated when it is one of
    the usual ones (:data:`callwatch.domain.codes.COST_CATEGORIES`)."""
    return catalog(lang or _current[0]).pgettext("cost", category)


def beneficiary_text(code: str, lang: str | None = None) -> str:
    """``farmer (Agriculteurs)``: a beneficiary code and its label in the reader's language."""
    # lazy: codes only to write a beneficiary (--help loads none)
    from callwatch.domain.codes import BENEFICIARIES

    if code not in BENEFICIARIES:
        return code
    label = catalog(lang or _current[0]).pgettext("beneficiary", BENEFICIARIES[code][1])
    return f"{code} ({label})"


def number_text(value: Decimal | int, lang: str | None = None) -> str:
    # lazy: Babel only to write a number (--help loads none)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale(lang or _current[0])))
