"""The fast paths of loading, caching and importing give what the slow ones give.

The typed cache form of a call and of a file's index read back equal (and refuse
what is not one); a large calls document parsed table by table is the document;
the C-speed shortcuts of ``clean``, ``fold`` and ``link_problem`` agree with the
character-by-character code they skip.
"""

from __future__ import annotations

import itertools
import json
import math
import unicodedata
import zlib
from dataclasses import dataclass, fields
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callwatch.domain import text as text_module
from callwatch.domain.errors import CallwatchError
from callwatch.domain.model import Call
from callwatch.domain.text import FILLERS, INVISIBLE, clean, fold, link_problem
from callwatch.files import loading
from callwatch.files.loading import (
    load_catalog,
    load_file_result,
    parse_calls_text,
    parse_toml,
    read_calls_toml,
)
from callwatch.store import cache, codec
from tests.conftest import WriteCalls
from tests.test_cache import entries

EVERY_FIELD = """
[[calls]]
id = "every-field"
title = "Appel   à projets\\u00a0: tout"
programme = "Interreg"
measure = "1.2"
description = "Première ligne.\\n\\nSeconde ligne."
url = "https://example.org/appel"
sources = ["Règlement, art. 3"]
funders = ["Région", "État"]
territory = ["FR-ARA", "FR-63"]
beneficiaries = ["commune", "epci"]
themes = ["eau"]
aid_types = ["Subvention"]
recurrence = "recurring"
timezone = "Europe/Brussels"
remind_days = [1, 30, 7]
rrule = "FREQ=YEARLY"
opens = 2026-01-05
source_id = "eu-portal:X-1"
action_type = "RIA"
checked = 2026-12-01
call_for_projects = false
application_url = "https://example.org/deposer"
perimeter = "Puy-de-Dôme (Département)"
deadlines = [
  { date = 2027-03-15, time = 17:00:00, label = "stage 1" },
  { date = 2027-09-01, time = 17:30:00, timezone = "America/Cayenne", opens = 2027-04-01,
    invited = true, label = "stage 2" },
  { date = 2027-01-31 },
]

[calls.funding]
eligible_costs = ["études", "travaux"]
ineligible_costs = ["TVA"]
rate = 0.8
min_eligible_cost = 1000.50
max_eligible_cost = 200000
min_aid = 500
max_aid = 100000
currency = "EUR"
note = "selon le règlement"

[[calls.criteria]]
id = "partners"
label = "Deux partenaires"
check = { count = "partners", at_least = 2 }

[[calls]]
id = "withdrawn-one"
title = "Gone"
ongoing = true
withdrawn = 2026-11-30
"""


def test_every_field_of_a_call_reads_back_from_its_cache_form(write_calls: WriteCalls) -> None:
    result = load_file_result(write_calls(EVERY_FIELD))
    assert not result.problems
    assert len(result.built) == 2  # the calls just validated, kept as they are
    for position, built in enumerate(result.built):
        back = codec.loads_call(result.blobs[position], result.shared)
        assert back == built
        for f in fields(Call):  # types too: a tuple stays a tuple, a Decimal a Decimal
            assert type(getattr(back, f.name)) is type(getattr(built, f.name)), f.name
        for was, now in zip(built.rounds, back.rounds, strict=True):
            assert now.closes_at == was.closes_at and now.closes_at.tzinfo == was.closes_at.tzinfo
    call = result.built[0]
    assert call.funding is not None and call.funding.min_eligible_cost == Decimal("1000.50")
    assert call.rounds[-1].closes_at.tzinfo == ZoneInfo("America/Cayenne")
    assert call.occurrences  # the recurrence's precomputed occurrences are kept too


def test_past_the_calls_kept_built_a_fresh_file_decodes_its_blobs(
    write_calls: WriteCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "KEEP_BUILT", 1)
    result = load_file_result(write_calls(EVERY_FIELD))
    assert len(result.built) == 1 and len(result.index) == 2
    assert result.call(0) is result.built[0]
    assert result.call(1) == codec.loads_call(result.blobs[1], result.shared)
    assert result.call(1).withdrawn == date(2026, 11, 30)


def test_a_cached_file_gives_the_calls_and_index_of_a_fresh_read(write_calls: WriteCalls) -> None:
    path = write_calls(EVERY_FIELD)
    fresh = load_file_result(path)
    cached = load_file_result(path)
    assert not cached.built  # decoded from the entry, not the fresh objects
    assert cached.index == fresh.index
    assert all(type(e) is tuple for e in cached.index)
    assert cached.calls == fresh.calls
    assert load_catalog([path]).calls == fresh.calls


def test_the_index_reads_back_with_infinities_and_tuples() -> None:
    entries_ = [
        ("a", (1.5, 2.0), False, math.inf, ("FR",), (), ("eau",), ("État",), ("f.toml", 3)),
        ("b", (), True, -math.inf, (), ("commune",), (), (), None),
        ("c", (3.0,), False, None, (), (), (), (), ("f.toml", None)),
    ]
    back = codec.loads_index(codec.dumps_index(entries_))
    assert back == entries_
    assert all(type(v) is tuple for e in back for v in e if isinstance(v, tuple | list))


@pytest.mark.parametrize(
    "payload",
    [b"{}", b"[1]", b'[["a"]]', b"[[1,[],false,null,[],[],[],[],null]]", b"\xff"],
)
def test_a_crafted_index_is_refused(payload: bytes) -> None:
    with pytest.raises(ValueError):
        codec.loads_index(payload)


@pytest.mark.parametrize(
    "payload",
    [b"{}", b"[1, 2]", b'{"o":["Popen",["ls"]]}', b"[" * 100 + b"]" * 100, b"\xff\xfe"],
)
def test_a_crafted_call_is_refused(payload: bytes) -> None:
    with pytest.raises(ValueError):
        codec.loads_call(payload, [])


def test_a_damaged_index_in_an_entry_is_a_miss(write_calls: WriteCalls) -> None:
    path = write_calls(EVERY_FIELD)
    fresh = load_catalog([path]).calls
    (entry,) = entries()
    magic, header, payload = entry.read_bytes().split(b"\n", 2)
    head, index = payload.split(b"\n")
    assert json.loads(index)[0][0] == "every-field"  # the index is the payload's last line
    payload = head + b"\n" + b'[["every-field"]]'
    meta = json.loads(header)
    meta.update(length=len(payload), crc=zlib.crc32(payload))
    entry.write_bytes(magic + b"\n" + json.dumps(meta).encode() + b"\n" + payload)
    assert cache.load(path, loading.entry_codec()) is None
    assert load_catalog([path]).calls == fresh  # rebuilt


def test_a_field_type_the_codec_does_not_know_stops_it() -> None:
    @dataclass
    class Odd:
        when: complex

    with pytest.raises(KeyError):
        codec._Shape(Odd, codec._SCALARS)


# -- large documents, table by table ----------------------------------------------

LARGE_CALL = """
[[calls]]
id = "c{n}"
title = "Appel {n}"
deadlines = [{{ date = 2027-01-{day:02d} }}]

[calls.funding]
rate = 0.5

[[calls.criteria]]
id = "partners"
label = "Two"
check = {{ count = "partners", at_least = 2 }}
"""


def test_a_large_document_parsed_table_by_table_is_the_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "# a file\n" + "".join(LARGE_CALL.format(n=n, day=n % 28 + 1) for n in range(50))
    monkeypatch.setattr(loading, "LARGE_FILE", 0)
    monkeypatch.setattr(loading, "parse_toml", _only_tables(parse_toml))
    assert parse_calls_text(text) == parse_toml(text)
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    assert read_calls_toml(path) == (text, parse_toml(text))


def _only_tables(parse: object) -> object:
    """parse_toml that refuses to parse more than one [[calls]] table at once."""

    def parse_one(text: str) -> object:
        assert text.count("[[calls]]") <= 1, "parsed whole"
        return parse(text)  # type: ignore[operator]

    return parse_one


@pytest.mark.parametrize(
    "tail",
    [
        '\n[[calls]]\nid = "x"\ntitle = """\n[[calls]]\n"""\nongoing = true\n',
        '\n[[territories]]\nid = "gal-x"\nname = "GAL"\nmembers = ["FR-63"]\n',
    ],
    ids=["header inside a string", "another kind of table"],
)
def test_a_document_that_cannot_be_cut_is_parsed_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tail: str
) -> None:
    text = LARGE_CALL.format(n=1, day=1) + tail
    monkeypatch.setattr(loading, "LARGE_FILE", 0)
    assert parse_calls_text(text) == parse_toml(text)
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    assert read_calls_toml(path) == (text, parse_toml(text))


def test_a_large_file_with_a_syntax_error_still_names_its_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "".join(LARGE_CALL.format(n=n, day=1) for n in range(5)) + 'title = "open\n'
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(loading, "LARGE_FILE", 0)
    with pytest.raises(CallwatchError) as caught:
        read_calls_toml(path)
    assert caught.value.line == text.count("\n")
    assert caught.value.message.startswith("invalid TOML")


# -- text shortcuts ---------------------------------------------------------------


def _slow_link_problem(url: str) -> str | None:
    for position, c in enumerate(url):
        if c in FILLERS or unicodedata.category(c) in INVISIBLE | {"Zs"}:
            return f"character U+{ord(c):04X} at position {position + 1} is not allowed in a link"
    return None


SAMPLE = [chr(c) for c in range(0x3100)] + [*FILLERS, "\U000e0041", "\U0010fffd", "\ufeff"]


def test_link_problem_agrees_with_the_character_by_character_check() -> None:
    for c in SAMPLE:
        if 0xD800 <= ord(c) <= 0xDFFF:
            continue
        url = f"https://example.org/{c}x"
        assert link_problem(url) == _slow_link_problem(url), repr(c)


def test_clean_agrees_with_the_slow_path_on_every_short_mix() -> None:
    alphabet = ["a", "é", " ", "\n", "\t", "\u200b", "\u3164", "\xa0", "\r"]
    for n in range(1, 6):
        for chars in itertools.product(alphabet, repeat=n):
            value = "".join(chars)
            for multiline in (False, True):
                slow = text_module._clean(value, multiline)
                assert clean(value, multiline=multiline) == slow, (value, multiline)


def test_fold_agrees_with_dropping_every_combining_mark() -> None:
    words = ["Région", "Œuvre", "ÉNERGIE", "plain", "Ångström", "ﬁne", "e\u0301\u0327", "日本"]
    for value in words:
        folded = value.translate(text_module._LIGATURES).casefold()
        decomposed = unicodedata.normalize("NFKD", folded)
        expected = "".join(c for c in decomposed if not unicodedata.combining(c))
        assert fold(value) == expected


def test_dates_times_and_decimals_read_back_as_written() -> None:
    from pydantic_core import to_json

    values = [
        date(2027, 1, 2),
        time(17, 0),
        time(9, 5, 7, 123),
        Decimal("1000.50"),
        Decimal("1E+3"),
    ]
    written = json.loads(to_json(values))
    assert codec._date(written[0]) == values[0]
    assert [codec._time(t) for t in written[1:3]] == values[1:3]
    back = [codec._decimal(d) for d in written[3:]]
    assert back == values[3:] and [str(d) for d in back] == ["1000.50", "1E+3"]
    with pytest.raises(ValueError):
        codec._time("17:00:00+01:00")
    with pytest.raises(ValueError):
        codec._decimal(1.5)  # type: ignore[arg-type]


def _cut_char_by_char(text: str, size: int) -> str:
    """The former `cut`: the whole prefix measured again for each character."""
    from callwatch.output.layout import ELLIPSIS, width

    if width(text) <= size:
        return text
    out = ""
    for char in text:
        if width(out + char) > size - 1:
            break
        out += char
    return out.rstrip() + ELLIPSIS


def _folded_char_by_char(word: str, size: int) -> list[str]:
    """The former `_folded`: each piece measured again for each character."""
    from callwatch.output.layout import width

    pieces = [""]
    for char in word:
        if pieces[-1] and width(pieces[-1] + char) > size:
            pieces.append("")
        pieces[-1] += char
    return pieces


def test_cut_in_one_pass_cuts_where_the_char_by_char_cut_did() -> None:
    """`cut` and the folding of a long word add up each character's cells once (a 10k-row
    check table cut thousands of long texts); every mix of wide, zero-width, combining
    and emoji characters agrees with measuring every prefix again."""
    from callwatch.output.layout import _folded, cut

    pieces = ["a", " ", "é", "e\u0301", "漢", "🚀", "❤\ufe0f", "\u200b", "x"]
    for n in range(1, 5):
        for combo in itertools.product(pieces, repeat=n):
            text = "".join(combo) * 3
            for size in (1, 2, 3, 4, 6, 9):
                assert cut(text, size) == _cut_char_by_char(text, size), (text, size)
                assert _folded(text, size) == _folded_char_by_char(text, size), (text, size)
