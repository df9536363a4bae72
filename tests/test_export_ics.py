"""`callwatch export --format ics`: parsed back with icalendar and, independently, vobject.

Expected numbers come from the shipped data file, counted by hand: on
2019-03-01 every round is still open: 2 (FEADER 16.4) + 14 (dated
Aides-territoires calls) + 5 + 8 (the two EU topics) = 29 rounds, each with
the default three reminders (J-30, J-7, J-1): 87 alarms.
"""

from __future__ import annotations

import io
import stat
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import vobject
from dateutil import tz
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from callwatch.domain.clock import make_clock
from callwatch.domain.model import DEFAULT_REMIND_DAYS, Call, Round
from callwatch.exporters import Context, export_rounds
from callwatch.exporters.ics import to_ics
from callwatch.files.loading import load_catalog
from tests.io_support import SHIPPED, cli

SHIPPED_ROUNDS = 29


def export_ics(*args: str) -> bytes:
    result = cli("export", "--format", "ics", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, Any]:
    return {str(e["uid"]): e for e in events(data)}


def write_calls(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calls.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_data_counts_with_two_parsers() -> None:
    data = export_ics("--today", "2019-03-01", "--data", str(SHIPPED))
    cal = Calendar.from_ical(data)
    evs = list(cal.walk("VEVENT"))
    assert len(evs) == SHIPPED_ROUNDS
    assert len(list(cal.walk("VALARM"))) == 3 * SHIPPED_ROUNDS
    assert len({str(e["uid"]) for e in evs}) == SHIPPED_ROUNDS
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Brussels"}

    other = vobject.readOne(data.decode("utf-8"))
    assert len(other.vevent_list) == SHIPPED_ROUNDS
    assert sum(len(e.valarm_list) for e in other.vevent_list) == 3 * SHIPPED_ROUNDS
    assert {e.uid.value for e in other.vevent_list} == {str(e["uid"]) for e in evs}


def test_all_day_round_event_and_alarms() -> None:
    data = export_ics("--today", "2019-03-01", "--data", str(SHIPPED))
    event = by_uid(data)["feader-aura-2019-16-4/2019-03-15@callwatch"]
    assert event["dtstart"].dt == date(2019, 3, 15)
    assert event["dtend"].dt == date(2019, 3, 16)
    summary = str(event["summary"])
    assert "circuits d'approvisionnement courts" in summary
    assert summary.endswith("1re session")
    assert "Note de ressources « coopération »" in str(event["description"])
    assert "url" not in event  # the source has no link; none is invented
    # Reminders at 09:00 on J-30, J-7 and J-1 (counted from the deadline day).
    end = datetime(2019, 3, 16)
    fired = set()
    for alarm in event.walk("VALARM"):
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm["trigger"].params["RELATED"] == "END"
        fired.add(end + alarm["trigger"].dt)
    assert fired == {datetime(2019, 2, 13, 9), datetime(2019, 3, 8, 9), datetime(2019, 3, 14, 9)}


def test_timed_round_vtimezone_read_by_an_independent_parser() -> None:
    """The VTIMEZONE is checked with dateutil's tzical (vobject keeps only the
    first value of a multi-valued RDATE, and its time zones are process-wide)."""
    data = export_ics("--today", "2021-01-01", "--data", str(SHIPPED))
    text = data.decode("utf-8")
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE") + 13]
    brussels = tz.tzical(io.StringIO(block)).get("Europe/Brussels")
    found = by_uid(data)
    summer = found["ESC-HUMAID-2021-QUAL-LABEL-FP/2021-09-22@callwatch"]
    winter = found["ESC-HUMAID-2021-QUAL-LABEL-FP/2022-03-24@callwatch"]
    assert "TZID=Europe/Brussels:20210922T170000" in text.replace("\r\n ", "")

    def utc(event: Any) -> datetime:
        wall: datetime = event["dtend"].dt.replace(tzinfo=None)
        assert wall.time() == time(17, 0)
        return wall.replace(tzinfo=brussels).astimezone(UTC)

    # 17:00 Brussels is 15:00 UTC in summer (CEST) and 16:00 UTC in winter (CET).
    assert utc(summer) == datetime(2021, 9, 22, 15, 0, tzinfo=UTC)
    assert utc(winter) == datetime(2022, 3, 24, 16, 0, tzinfo=UTC)
    assert summer["dtstart"].dt < summer["dtend"].dt
    assert str(summer["url"]).endswith("/topic-details/ESC-HUMAID-2021-QUAL-LABEL-FP")
    triggers = sorted(a["trigger"].dt for a in summer.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7), timedelta(days=-1)]


def test_uids_are_stable_and_output_is_reproducible() -> None:
    first = export_ics("--today", "2019-03-01", "--data", str(SHIPPED))
    again = export_ics("--today", "2019-03-01", "--data", str(SHIPPED))
    assert first == again
    later = export_ics("--today", "2022-06-01", "--data", str(SHIPPED))
    early, late = by_uid(first), by_uid(later)
    assert set(late) < set(early)  # the same rounds keep the same UIDs
    uid = "ERASMUS-EDU-2022-ECHE-CERT-FP/2026-03-24@callwatch"
    assert early[uid]["dtstamp"].dt != late[uid]["dtstamp"].dt
    assert late[uid]["dtstamp"].dt == datetime(2022, 5, 31, 22, 0, tzinfo=UTC)  # Paris midnight


def test_due_window_and_all() -> None:
    due = events(export_ics("--today", "2019-03-01", "--data", str(SHIPPED), "--due", "30d"))
    assert [str(e["uid"]) for e in due] == ["feader-aura-2019-16-4/2019-03-15@callwatch"]
    assert events(export_ics("--today", "2030-01-01", "--data", str(SHIPPED))) == []
    closed_too = events(export_ics("--today", "2030-01-01", "--data", str(SHIPPED), "--all"))
    assert len(closed_too) == SHIPPED_ROUNDS


def test_filters_are_those_of_list(tmp_path: Path) -> None:
    calls = write_calls(
        tmp_path,
        """
[[calls]]
id = "auvergne"
title = "Appel Auvergne"
territory = ["FR-63"]
funders = ["Région Auvergne-Rhône-Alpes"]
deadlines = [{ date = 2025-03-15 }]

[[calls]]
id = "bretagne"
title = "Appel Bretagne"
territory = ["FR-BRE"]
deadlines = [{ date = 2025-03-16 }]
""",
    )
    base = ("--today", "2025-01-01", "--data", str(calls))
    assert [str(e["uid"]) for e in events(export_ics(*base, "--territory", "FR-ARA"))] == [
        "auvergne/2025-03-15@callwatch"
    ]
    assert len(events(export_ics(*base, "--funder", "region auvergne"))) == 1
    assert len(events(export_ics(*base))) == 2
    bad = cli("export", *base, "--territory", "XX-99")
    assert bad.exit_code == 2
    assert "--territory" in bad.stderr


ANNUAL = """
[[calls]]
id = "annual"
title = "Appel annuel"
rrule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"
remind_days = [7]
deadlines = [{ date = 2024-03-15 }]

[[calls]]
id = "permanent"
title = "Toujours ouvert"
ongoing = true
"""


def test_rrule_is_one_series_without_double_events(tmp_path: Path) -> None:
    calls = write_calls(tmp_path, ANNUAL)
    data = export_ics("--today", "2024-01-01", "--data", str(calls))
    found = by_uid(data)
    assert set(found) == {"annual/2024-03-15@callwatch", "annual/rrule@callwatch"}
    assert len(list(Calendar.from_ical(data).walk("VALARM"))) == 2  # remind_days = [7]

    series = next(e for e in vobject.readOne(data.decode()).vevent_list if "rrule" in e.uid.value)
    expanded = series.getrruleset(addRDate=True).between(
        datetime(2024, 1, 1), datetime(2027, 12, 31), inc=True
    )
    days = [d.date() for d in expanded]
    assert days == [date(2025, 3, 15), date(2026, 3, 15), date(2027, 3, 15)]  # 2024 is EXDATE'd
    # The calendar's expansion agrees with the model's.
    call = load_catalog([calls]).get("annual")
    assert call is not None
    clock = make_clock("2024-01-01")
    model_days = [
        r.day
        for r in call.recurring_rounds(clock.now, clock.end_of(date(2027, 12, 31)))
        if r.day.year > 2024
    ]
    assert model_days == days


def test_rrule_alone_when_explicit_round_is_past(tmp_path: Path) -> None:
    calls = write_calls(tmp_path, ANNUAL)
    found = by_uid(export_ics("--today", "2024-06-01", "--data", str(calls)))
    assert list(found) == ["annual/rrule@callwatch"]
    assert "exdate" not in found["annual/rrule@callwatch"]
    window = by_uid(export_ics("--today", "2025-03-01", "--data", str(calls), "--due", "30d"))
    assert list(window) == ["annual/rrule@callwatch"]
    assert by_uid(export_ics("--today", "2025-03-01", "--data", str(calls), "--due", "7d")) == {}


def test_timed_rrule_until_is_utc(tmp_path: Path) -> None:
    calls = write_calls(
        tmp_path,
        """
[[calls]]
id = "noon"
title = "Midi"
rrule = "RRULE:FREQ=YEARLY;UNTIL=20260315"
deadlines = [{ date = 2024-03-15, time = 12:00:00 }]
""",
    )
    data = export_ics("--today", "2024-01-01", "--data", str(calls))
    assert b"UNTIL=20260315T100000Z" in data  # 11:00 Paris (CET) on the last day
    series = by_uid(data)["noon/rrule@callwatch"]
    start = series["dtstart"].dt
    assert start == datetime(2024, 3, 15, 11, 0, tzinfo=ZoneInfo("Europe/Paris"))
    # Expanded by dateutil from the RRULE text as written in the file.
    rule = rrulestr(series["rrule"].to_ical().decode(), dtstart=start)
    excluded = {d.dt for d in series["exdate"].dts}
    assert excluded == {start}
    assert [s.astimezone(UTC) for s in rule if s not in excluded] == [
        datetime(2025, 3, 15, 10, 0, tzinfo=UTC),
        datetime(2026, 3, 15, 10, 0, tzinfo=UTC),
    ]


def test_hostile_text_cannot_forge_calendar_lines(tmp_path: Path) -> None:
    calls = write_calls(
        tmp_path,
        r"""
[[calls]]
id = "evil"
title = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged \u001b[31mred"
sources = ["a;b,c\nDESCRIPTION:forged"]
deadlines = [{ date = 2025-03-15, label = "x\r\nATTACH:http://evil" }]
""",
    )
    data = export_ics("--today", "2025-01-01", "--data", str(calls))
    evs = events(data)
    assert len(evs) == 1
    event = evs[0]
    assert str(event["uid"]) == "evil/2025-03-15@callwatch"
    assert "attach" not in event
    assert "\x1b" not in str(event["summary"])
    assert "END:VEVENT BEGIN:VEVENT" in str(event["summary"])
    assert "a;b,c DESCRIPTION:forged" in str(event["description"])


def test_two_rounds_on_one_day_get_distinct_uids(tmp_path: Path) -> None:
    calls = write_calls(
        tmp_path,
        """
[[calls]]
id = "twice"
title = "Deux sessions"
deadlines = [{ date = 2025-03-15, time = 10:00:00 }, { date = 2025-03-15, time = 16:00:00 }]
""",
    )
    assert set(by_uid(export_ics("--today", "2025-01-01", "--data", str(calls)))) == {
        "twice/2025-03-15T1000@callwatch",
        "twice/2025-03-15T1600@callwatch",
    }


def test_language_of_our_own_words() -> None:
    fr = events(export_ics("--today", "2019-03-01", "--data", str(SHIPPED), "--due", "30d"))
    en = events(
        export_ics("--today", "2019-03-01", "--data", str(SHIPPED), "--due", "30d", "--lang", "en")
    )
    assert str(fr[0]["summary"]).startswith("Clôture : ")
    assert str(en[0]["summary"]).startswith("Deadline: ")


def test_output_file_is_written_atomically_keeping_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    out.write_text("old")
    out.chmod(0o640)
    args = ("--today", "2019-03-01", "--data", str(SHIPPED), "export", "-o", str(out))
    refused = cli(*args, "--lang", "en")
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"callwatch: {out}: already exists: not overwritten (pass --force to replace it)\n"
    )
    refused = cli(*args)  # the tests' default language: French
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"callwatch: {out} : existe déjà : non remplacé (--force pour le remplacer)\n"
    )
    result = cli(*args, "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "29 sessions exportées" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert len(events(out.read_bytes())) == SHIPPED_ROUNDS
    assert [p.name for p in tmp_path.iterdir()] == ["deadlines.ics"]  # no temporary file left


def test_bad_data_still_exports_the_rest_and_exits_65(tmp_path: Path) -> None:
    good = write_calls(
        tmp_path, '[[calls]]\nid = "ok"\ntitle = "Ok"\ndeadlines = [{ date = 2025-03-15 }]\n'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('[[calls]]\nid = "bad"\ntitle = ""\ndeadlines = [{ date = 2025-03-15 }]\n')
    result = cli("export", "--today", "2025-01-01", "--data", str(good), "--data", str(bad))
    assert result.exit_code == 65
    assert "bad.toml" in result.stderr
    assert [str(e["uid"]) for e in events(result.stdout_bytes)] == ["ok/2025-03-15@callwatch"]


_zones = st.sampled_from(["Europe/Paris", "Europe/Brussels", "America/Cayenne", "Indian/Reunion"])
_rounds = st.lists(
    st.tuples(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
        st.one_of(st.none(), st.times().map(lambda t: t.replace(microsecond=0))),
        _zones,
    ),
    max_size=4,
    unique_by=lambda r: (r[0], r[1]),
)
_calls = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=30),
        _rounds,
        st.one_of(st.none(), st.lists(st.integers(0, 366), max_size=4)),
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(_calls)
def test_every_round_is_one_event_with_one_alarm_per_reminder_day(
    specs: list[tuple[str, list[tuple[date, time | None, str]], list[int] | None]],
) -> None:
    calls = [
        Call(
            id=f"c{i}",
            title=title,
            rounds=tuple(Round(day=d, at=at, tz=zone) for d, at, zone in rounds),
            remind_days=None if remind is None else tuple(remind),
        )
        for i, (title, rounds, remind) in enumerate(specs)
    ]
    clock = make_clock("2000-01-01")
    items = export_rounds(calls, clock, include_closed=True)
    cal = Calendar.from_ical(to_ics(items, Context(clock, "fr")))
    evs: list[Any] = list(cal.walk("VEVENT"))
    assert len(evs) == sum(len(r) for _t, r, _rd in specs)
    assert len({str(e["uid"]) for e in evs}) == len(evs)
    expected_alarms = sum(
        len(r) * len(set(DEFAULT_REMIND_DAYS if rd is None else rd)) for _t, r, rd in specs
    )
    assert len(list(cal.walk("VALARM"))) == expected_alarms
    for event in evs:
        assert event["dtstart"].dt < event["dtend"].dt
