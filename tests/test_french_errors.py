"""Bad input under ``--lang fr``: every message a person reads comes out in French.

Each case runs one command on bad input (a criteria syntax error, a bad team file,
an import that skips a record, a portal answering 503, 401 or broken JSON, an
unknown export format, a FIFO as output) twice: in French, where the French
wording appears and neither the English template nor any other English message
of the catalog does; and in English, where the English wording is unchanged.
The exit code is the same in both languages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from typer.testing import Result

from callwatch.files.errtext import explain
from callwatch.i18n import localize
from tests.conftest import Invoke
from tests.portal_server import Answer, serve
from tests.rules_support import EXAMPLES
from tests.test_catalog import ENGLISH
from tests.test_consortium import CSA_ID, TOPICS
from tests.test_fetch import AIDS, TODAY, Aides, run_at, scripted
from tests.test_import import CURRENT_HEADER, CURRENT_ROW

Run = Callable[[Invoke, Path, str], Result]


@dataclass(frozen=True)
class Case:
    run: Run
    code: int
    french: tuple[str, ...]  # in the French output
    english: tuple[str, ...]  # in the English output, and not in the French one


def _criteria_error(cli: Invoke, tmp: Path, lang: str) -> Result:
    path = tmp / "calls.toml"
    path.write_text(
        '[[calls]]\nid = "c"\ntitle = "T"\nongoing = true\n\n'
        '[[calls.criteria]]\nid = "a"\nlabel = "A"\n'
        'check = { count = "partners", where = { path = "partners.typ", eq = "farmer" }, '
        "at_least = 1 }\n\n"
        '[[calls.criteria]]\nid = "b"\nlabel = "B"\ncheck = { path = "project.start", '
        'gte = "2019-01-01" }\n',
        encoding="utf-8",
    )
    return cli("validate", str(path), "--lang", lang, env={"CALLWATCH_CACHE": "off"})


def _bad_team_file(cli: Invoke, tmp: Path, lang: str) -> Result:
    path = tmp / "callwatch.toml"
    path.write_text(
        'dat = ["data/"]\n[defaults]\nlang = "de"\nremind_days = "often"\n'
        '[[fetch]]\nportal = "Aides"\n',
        encoding="utf-8",
    )
    return cli("--lang", lang, "config", "where", env={"CALLWATCH_TEAM": str(path)})


def _import_with_skips(cli: Invoke, tmp: Path, lang: str) -> Result:
    source = tmp / "export.csv"
    no_link = ";Aide sans lien;;;;;;;28/02/2027;;;;;;;Ponctuelle;;;;;;"
    source.write_text("\n".join([CURRENT_HEADER, CURRENT_ROW, no_link]) + "\n", encoding="utf-8")
    out = tmp / "aides.toml"
    return cli("import", "aides-territoires", str(source), "-o", str(out), "--lang", lang)


@contextmanager
def _eu_portal(*answers: Answer) -> Iterator[str]:
    with serve(scripted(*answers)) as (base, _requests):
        yield base


def _fetch(answer: Answer) -> Run:
    def run(cli: Invoke, tmp: Path, lang: str) -> Result:
        with _eu_portal(answer) as base:
            out = tmp / "eu.toml"
            args = ("fetch", "eu-portal", "--base-url", base, "-o", str(out), "--today", TODAY)
            return cli(*args, "--lang", lang)

    return run


def _refused_key(cli: Invoke, tmp: Path, lang: str) -> Result:
    with serve(Aides(AIDS)) as (base, _requests):
        result: Result = run_at(cli, base, tmp / "aides.toml", "--lang", lang, key="wrong-key-9")
    return result


def _export_pdf(cli: Invoke, tmp: Path, lang: str) -> Result:
    return cli("--today", "2019-03-01", "export", "-o", str(tmp / "x.pdf"), "--lang", lang)


def _github_annotation(cli: Invoke, tmp: Path, lang: str) -> Result:
    """What the team's CI workflow shows reviewers on the pull request's line."""
    path = tmp / "x.toml"
    path.write_text(
        '[[calls]]\nid = "a"\ntitle = "T"\nongoing = true\n[[calls]\n', encoding="utf-8"
    )
    return cli("validate", "--format", "github", "--lang", lang, str(path))


def _fetch_without_portal(cli: Invoke, tmp: Path, lang: str) -> Result:
    return cli("fetch", "--lang", lang, env={"CALLWATCH_TEAM": "none"})


def _add_without_terminal(cli: Invoke, tmp: Path, lang: str) -> Result:
    return cli("add", str(tmp / "a.toml"), "--lang", lang, input="x\n")


def _extra_arguments(*extra: str) -> Run:
    def run(cli: Invoke, tmp: Path, lang: str) -> Result:
        return cli("show", "some-call", *extra, "--lang", lang)

    return run


def _export_over_fifo(cli: Invoke, tmp: Path, lang: str) -> Result:
    fifo = tmp / "deadlines.ics"
    os.mkfifo(fifo)
    return cli("--today", "2019-03-01", "export", "-o", str(fifo), "--lang", lang)


def _validate(text: str) -> Run:
    def run(cli: Invoke, tmp: Path, lang: str) -> Result:
        path = tmp / "calls.toml"
        path.write_text(text, encoding="utf-8")
        return cli("validate", str(path), "--lang", lang, env={"CALLWATCH_CACHE": "off"})

    return run


CALL = 'id = "c"\ntitle = "T"\nsources = ["s"]\ndeadlines = [ { date = 2027-01-15 } ]\n'


def _digest_config(cli: Invoke, tmp: Path, lang: str) -> Result:
    path = tmp / "digest.toml"
    path.write_text(
        '[smtp]\nhost = "x"\nfrom = "a@b.c"\n[[subscribers]]\nto = "c@d.e"\nlang = "de"\n',
        encoding="utf-8",
    )
    return cli("config", "show", "--config", str(path), "--lang", lang)


def _usage(*args: str) -> Run:
    def run(cli: Invoke, tmp: Path, lang: str) -> Result:
        return cli("--lang", lang, *args)

    return run


RRULES = (
    "FREQ=SECONDLY",
    "FREQ=WEEKLY;INTERVAL=0",
    "FREQ=YEARLY;BYMONTH=13",
    "FREQ=DAILY;BYMONTHDAY=3",
    "FREQ=DAILY;COUNT=3;UNTIL=20300101",
    "FREQ=DAILY;UNTIL=99991231",
)


def _rrule_calls() -> str:
    calls = [
        f'[[calls]]\nid = "r{i}"\ntitle = "R"\ndeadlines = [{{ date = 2019-03-15 }}]\n'
        f'rrule = "{rule}"\n'
        for i, rule in enumerate(RRULES)
    ]
    calls.append(
        '[[calls]]\nid = "old"\ntitle = "O"\nrrule = "FREQ=YEARLY"\n'
        "deadlines = [{ date = 1850-03-15 }]\n"
    )
    calls.append('[[calls]]\nid = "u"\ntitle = "U"\nongoing = true\nurl = "ftp://x.org/"\n')
    return "\n".join(calls)


def _huge_csv_cell(cli: Invoke, tmp: Path, lang: str) -> Result:
    source = tmp / "export.csv"
    huge = ";" + "x" * 140_000 + ";;;;;;;28/02/2027;;;;;;;Ponctuelle;;;;;;"
    source.write_text("\n".join([CURRENT_HEADER, huge]) + "\n", encoding="utf-8")
    return cli("import", "aides-territoires", str(source), "--dry-run", "--lang", lang)


def _standard_condition(cli: Invoke, tmp: Path, lang: str) -> Result:
    args = ("--data", str(TOPICS), "--today", "2027-03-01", "check")
    return cli(*args, str(EXAMPLES / "horizon-csa.toml"), "--call", CSA_ID, "--lang", lang)


CASES = {
    "recurrences a funding call cannot mean": Case(
        _validate(_rrule_calls()),
        1,
        (
            "FREQ=SECONDLY n'est pas permis : attendu l'un de YEARLY, MONTHLY, WEEKLY, DAILY",
            "INTERVAL=0 n'est pas permis : un nombre entier de 1 à 1000 attendu",
            "BYMONTH=13 n'est pas permis : '13' est hors des valeurs possibles",
            "BYMONTHDAY n'est pas permis avec FREQ=DAILY : écrivez une règle MONTHLY ou YEARLY",
            "donnez COUNT ou UNTIL, pas les deux (RFC 5545)",
            "UNTIL=99991231 n'est pas permis : une date entre 1900 et 2200 attendue",
            "1850-03-15 est hors de 1900–2200, où une récurrence (rrule) est calculée",
            "url : une adresse http:// ou https:// attendue, reçu la chaîne 'ftp://x.org/'",
        ),
        (
            "FREQ=SECONDLY is not allowed: expected one of YEARLY, MONTHLY, WEEKLY, DAILY",
            "INTERVAL=0 is not allowed: expected a whole number from 1 to 1000",
            "BYMONTH=13 is not allowed: '13' is out of range",
            "BYMONTHDAY is not allowed with FREQ=DAILY: write a MONTHLY or YEARLY rule",
            "give COUNT or UNTIL, not both (RFC 5545)",
            "UNTIL=99991231 is not allowed: expected a date between 1900 and 2200",
            "1850-03-15 is outside 1900–2200, where a recurrence (rrule) is computed",
            "url: expected an http:// or https:// address, got the string 'ftp://x.org/'",
        ),
    ),
    "a CSV cell over the csv module's limit": Case(
        _huge_csv_cell,
        65,
        ("export CSV illisible : une cellule dépasse la limite de taille (131072 caractères)",),
        ("not a readable CSV export: field larger than field limit (131072)",),
    ),
    "the source of a standard condition": Case(
        _standard_condition,
        0,
        ("condition standard pour ce type d'action, sauf si le sujet (topic) en dispose",),
        ("standard condition for this type of action, unless the topic says otherwise",),
    ),
    "criteria syntax error": Case(
        _criteria_error,
        1,
        (
            "appel 'c' : criteria[0].check.where.path : chemin inconnu 'partners.typ' dans "
            "partners (vouliez-vous dire 'partners.type' ?) : attendu l'un de partners.id",
            "criteria[1].check.gte : une date TOML comme 2019-03-15 (sans guillemets) attendu, "
            "reçu '2019-01-01'",
        ),
        (
            "call 'c': criteria[0].check.where.path: unknown path 'partners.typ' inside "
            "partners (did you mean 'partners.type'?): expected partners.id",
            "expected a TOML date such as 2019-03-15 (without quotes), got '2019-01-01'",
        ),
    ),
    "bad callwatch.toml": Case(
        _bad_team_file,
        65,
        (
            "dat : clé inconnue (vouliez-vous dire 'data' ?) ; attendu l'une de data, projects",
            'defaults.lang : "fr" ou "en" attendu, pas \'de\'',
            "defaults.remind_days : des jours avant une échéance attendus",
            'fetch[0].portal : un nom de portail attendu, par exemple "aides-territoires"',
        ),
        (
            "dat: unknown key (did you mean 'data'?); expected one of data, projects",
            'defaults.lang: expected "fr" or "en", not \'de\'',
            "defaults.remind_days: expected days before a deadline",
            'fetch[0].portal: expected a portal name, such as "aides-territoires"',
        ),
    ),
    "import that skips a record": Case(
        _import_with_skips,
        0,
        (
            "export.csv : lus 2, ajoutés 1, mis à jour 0, inchangés 0, écartés 1",
            "écartés par motif : pas de lien utilisable vers la fiche de l'aide (1)",
            "écarté, ligne 3 'Aide sans lien' : pas de lien utilisable vers la fiche de "
            "l'aide (Lien / url) : ''",
        ),
        (
            "export.csv: 2 read: 1 added, 0 updated, 0 unchanged, 1 skipped",
            "skipped by reason: no usable link to the aid's page (1)",
            "skipped line 3 'Aide sans lien': no usable link to the aid's page (Lien / url): ''",
        ),
    ),
    "portal answering 503": Case(
        _fetch(Answer(503, {}, {"Retry-After": "0"})),
        75,
        (
            "recherche du portail UE, page 1 : HTTP 503 Service Unavailable "
            "(après 5 tentatives) : réessayez plus tard",
        ),
        ("EU portal search page 1: HTTP 503 Service Unavailable (after 5 attempts): try again",),
    ),
    "portal refusing the key": Case(
        _refused_key,
        1,
        ("connexion à Aides-territoires (POST /api/connexion/) : refusé (HTTP 401) : vérifiez",),
        ("Aides-territoires login (POST /api/connexion/): refused (HTTP 401): check the API key",),
    ),
    "portal answering broken JSON": Case(
        _fetch(Answer(200, b'{"totalResults": 1, "results": [}')),
        75,
        (
            "recherche du portail UE, page 1 : la réponse n'est pas du JSON valide "
            "(valeur attendue, 33 octets)",
        ),
        ("EU portal search page 1: the answer is not valid JSON (Expecting value, 33 bytes)",),
    ),
    "export to an unknown format": Case(
        _export_pdf,
        2,
        ("--output : impossible de savoir le format de 'x.pdf' : nommez-le .ics, .json, .csv",),
        ("--output: cannot tell the format of 'x.pdf': name it .ics, .json, .csv, or give",),
    ),
    "a GitHub annotation": Case(
        _github_annotation,
        1,
        ("::TOML invalide : ']]' attendu à la fin de la déclaration",),
        ("::invalid TOML: expected ']]' at the end of an array declaration",),
    ),
    "fetch with no portal": Case(
        _fetch_without_portal,
        2,
        ("aucun portail à interroger : nommez-en un",),
        ("no portal to fetch: name one",),
    ),
    "add with no terminal": Case(
        _add_without_terminal,
        2,
        ("manquant : --title, --id, --deadline (ou --ongoing) (pas de questions",),
        ("missing --title, --id, --deadline (or --ongoing) (no prompts: not a terminal)",),
    ),
    "one extra argument": Case(
        _extra_arguments("b"),
        2,
        ("Erreur : Argument en trop : b",),
        ("Error: Unexpected extra argument: b",),
    ),
    "two extra arguments": Case(
        _extra_arguments("b", "c"),
        2,
        ("Erreur : Arguments en trop : b c",),
        ("Error: Unexpected extra arguments: b c",),
    ),
    "export over a FIFO": Case(
        _export_over_fifo,
        2,
        ("deadlines.ics : un tube nommé (FIFO), pas un fichier ordinaire : rien n'est écrit",),
        ("deadlines.ics: a FIFO, not a regular file: not written",),
    ),
    "TOML parser: an illegal character": Case(
        _validate('a = 1\nb = "x\n'),
        1,
        ("TOML invalide : caractère interdit '\\n' (colonne 7)",),
        ("invalid TOML: illegal character '\\n' (column 7)",),
    ),
    "TOML parser: a French date": Case(
        _validate("[[calls]]\n" + CALL.replace("2027-01-15", "15/01/2027")),
        1,
        ("TOML invalide : table en ligne non fermée (colonne 26) (les dates s'écrivent",),
        ("invalid TOML: unclosed inline table (column 26) (dates are written",),
    ),
    "TOML parser: a table header not closed": Case(
        _validate('[[calls]]\nid="a"\n[[calls]\n'),
        1,
        ("TOML invalide : ']]' attendu à la fin de la déclaration d'un tableau de tables",),
        ("invalid TOML: expected ']]' at the end of an array declaration",),
    ),
    "pydantic bound": Case(
        _validate("[[calls]]\n" + CALL + "[calls.funding]\nrate = 1.5\n"),
        1,
        ("funding.rate : un nombre d'au plus 1 attendu, reçu le nombre 1.5",),
        ("funding.rate: expected a number at most 1, got the number 1.5",),
    ),
    "pydantic literal": Case(
        _digest_config,
        78,
        ("subscribers[0].lang : l'une des valeurs 'fr', 'en' attendu, reçu la chaîne 'de'",),
        ("subscribers[0].lang: expected one of 'fr', 'en', got the string 'de'",),
    ),
    "unknown sub-command": Case(
        _usage("cache", "cleer"),
        2,
        ("Erreur : Commande inconnue : 'cleer'. (vouliez-vous dire 'clear' ?)",),
        ("Error: No such command 'cleer'. (did you mean 'clear'?)",),
    ),
    "unknown option": Case(
        _usage("list", "--du"),
        2,
        ("Erreur : Option inconnue : --du (options possibles : --data, --due)",),
        ("Error: No such option: --du (possible options: --data, --due)",),
    ),
    "option without its value": Case(
        _usage("list", "--data"),
        2,
        ("Erreur : L'option '--data' attend une valeur.",),
        ("Error: Option '--data' requires an argument.",),
    ),
    "flag given a value": Case(
        _usage("list", "--all=x"),
        2,
        ("Erreur : L'option '--all' ne prend pas de valeur.",),
        ("Error: Option '--all' does not take a value.",),
    ),
    "option value not a number": Case(
        _usage("digest", "--wait", "abc"),
        2,
        ("Erreur : Valeur invalide pour '--wait' : 'abc' n'est pas un nombre.",),
        ("Error: Invalid value for '--wait': 'abc' is not a number.",),
    ),
    "option value out of range": Case(
        _usage("digest", "--wait", "-3"),
        2,
        ("Erreur : Valeur invalide pour '--wait' : -3.0 n'est pas dans l'intervalle x>=0.",),
        ("Error: Invalid value for '--wait': -3.0 is not in the range x>=0.",),
    ),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_reported_in_the_chosen_language(
    cli: Invoke, tmp_path: Path, case: Case, lang: str
) -> None:
    result = case.run(cli, tmp_path, lang)
    text = result.stdout + result.stderr
    assert result.exit_code == case.code, text  # the same in both languages
    wanted, unwanted = (case.french, case.english) if lang == "fr" else (case.english, case.french)
    for words in wanted:
        assert words in text
    for words in unwanted:
        assert words not in text
    if lang == "fr":
        assert [m for m in ENGLISH if m in text] == []
    assert "Traceback" not in text


def test_errors_stay_one_line_naming_the_place(cli: Invoke, tmp_path: Path) -> None:
    """Translated, an error keeps its one line and its file:line (or the option it is about)."""
    for name in ("portal answering 503", "export over a FIFO", "export to an unknown format"):
        place = tmp_path / name.replace(" ", "-")
        place.mkdir()
        result = CASES[name].run(cli, place, "fr")
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("callwatch: "), result.stderr
    criteria = _criteria_error(cli, tmp_path, "fr").stdout.splitlines()
    assert criteria[0].startswith(f"{tmp_path / 'calls.toml'}:9: appel 'c' : ")
    assert criteria[1].startswith(f"{tmp_path / 'calls.toml'}:14: appel 'c' : ")


def test_the_json_report_keeps_its_reasons_in_english(cli: Invoke, tmp_path: Path) -> None:
    """Scripts read the JSON report: its reasons and totals do not follow --lang."""
    source = tmp_path / "export.csv"
    no_link = ";Aide sans lien;;;;;;;28/02/2027;;;;;;;Ponctuelle;;;;;;"
    source.write_text("\n".join([CURRENT_HEADER, no_link]) + "\n", encoding="utf-8")
    result = cli("import", "aides-territoires", str(source), "--dry-run", "--json", "--lang", "fr")
    report = json.loads(result.stdout)
    assert report["skipped_by_reason"] == {"no usable link to the aid's page": 1}
    assert report["skipped"][0]["where"] == "line 2"


class _Model(BaseModel):
    """One field per constraint our models use, to see each pydantic error type worded."""

    model_config = ConfigDict(extra="forbid", strict=False)
    positive: Decimal = Field(Decimal(1), gt=0)
    count: int = Field(0, ge=0, le=366)
    below: float = Field(0, lt=10)
    name: str = Field("", max_length=3)
    items: list[str] = Field(["a"], min_length=1, max_length=2)
    lang: Literal["fr", "en"] = "fr"
    when: dt.date = dt.date(2019, 1, 1)
    flag: bool = False
    needed: str


BAD = [
    ({"positive": 0}, "greater_than", "un nombre supérieur à 0 attendu"),
    ({"count": -1}, "greater_than_equal", "un nombre d'au moins 0 attendu"),
    ({"count": 400}, "less_than_equal", "un nombre d'au plus 366 attendu"),
    ({"below": 10}, "less_than", "un nombre inférieur à 10.0 attendu"),
    ({"name": "abcd"}, "string_too_long", "un texte de 3 caractères au plus attendu"),
    ({"items": []}, "too_short", "au moins un élément attendu"),
    ({"items": ["a", "b", "c"]}, "too_long", "2 éléments au plus attendu"),
    ({"lang": "de"}, "literal_error", "l'une des valeurs 'fr', 'en' attendu"),
    ({"count": "x"}, "int_parsing", "un nombre entier attendu"),
    ({"below": "x"}, "float_parsing", "un nombre attendu"),
    ({"when": "15/01/2027"}, "date_from_datetime_parsing", "une date TOML comme 2019-03-15"),
    ({"flag": "maybe"}, "bool_parsing", "true ou false attendu"),
    ({}, "missing", "champ obligatoire manquant 'needed'"),
    ({"other": 1}, "extra_forbidden", "champ inconnu 'other'"),
]


@pytest.mark.parametrize(("data", "kind", "french"), BAD, ids=[b[1] for b in BAD])
def test_pydantic_errors_are_worded_by_type_not_passed_through(
    data: dict[str, object], kind: str, french: str
) -> None:
    """pydantic's own text (English only) never reaches a person: each error type our
    models can raise is worded from its type and ctx, then translated where shown."""
    with pytest.raises(ValidationError) as caught:
        _Model.model_validate({"needed": "x", **data} if data else {})
    errors = [e for e in caught.value.errors(include_url=False) if e["type"] == kind]
    assert errors, caught.value.errors()
    err = errors[0]
    english = "calls.toml:3: " + explain(err, tuple(err["loc"]), _Model.model_fields)
    assert err["msg"].lower() not in english.lower()
    shown = localize(english, "fr")  # as a problem is shown: file:line: message
    assert french in shown
    assert [m for m in ENGLISH if m in shown] == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr",
            "--deadline : '15/01/2027' invalide : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM attendu "
            "(nouvel essai)",
        ),
        (
            "en",
            "--deadline: invalid '15/01/2027': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (try again)",
        ),
    ],
)
def test_the_re_ask_of_add_is_in_one_language(
    cli: Invoke, tmp_path: Path, lang: str, words: str
) -> None:
    target = tmp_path / "calls.toml"
    args = ("add", str(target), "--interactive", "--id", "a", "--title", "A", "--lang", lang)
    result = cli(*args, input="15/01/2027\n2027-01-15\n", env={"CALLWATCH_TODAY": "2026-12-01"})
    assert result.exit_code == 0, result.stderr
    assert words in result.stderr
    if lang == "fr":
        assert [m for m in ENGLISH if m in result.stderr] == []


@pytest.mark.parametrize(
    ("lang", "words", "english"),
    [
        ("fr", "abandon : pas de réponse à la question", "Aborted!"),
        ("en", "aborted: no answer to the question", "Traceback"),
    ],
)
def test_a_prompt_at_the_end_of_its_input_ends_in_the_language(
    cli: Invoke, tmp_path: Path, lang: str, words: str, english: str
) -> None:
    result = cli("add", str(tmp_path / "c.toml"), "--interactive", "--lang", lang, input="")
    assert result.exit_code == 1
    assert words in result.stderr and english not in result.stderr
    assert not (tmp_path / "c.toml").exists()
