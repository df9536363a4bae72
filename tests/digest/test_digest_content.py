"""The rules of what a digest says, tested directly on the pure planning function."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from callwatch.digest.config import Subscriber
from callwatch.digest.content import Plan, describe_changes, plan, updated_state
from callwatch.digest.ledger import MessageRecord, SubscriberState
from callwatch.domain.clock import make_clock
from callwatch.domain.model import Call, Round

CLAIRE = Subscriber(to="claire@example.org")
MESSAGE = MessageRecord(at="x", via="smtp", message_id="<x@y>", sha256="0")


def call(ident: str = "c", *days: date, **fields: object) -> Call:
    rounds = tuple(Round(day=d, at=None, tz="Europe/Paris") for d in days)
    return Call(id=ident, title=f"Call {ident}", rounds=rounds, **fields)  # type: ignore[arg-type]


def run(calls: list[Call], day: str, state: SubscriberState, sub: Subscriber = CLAIRE) -> Plan:
    return plan(calls, make_clock(day), sub, state)


def sent(p: Plan, state: SubscriberState) -> SubscriberState:
    return updated_state(state, p, MESSAGE)


def test_baseline_lists_deadlines_and_announces_nothing() -> None:
    calls = [call("a", date(2019, 3, 15)), call("b", date(2019, 6, 1))]
    p = run(calls, "2019-03-04", SubscriberState())
    assert p.baseline and p.worth_sending
    assert [d.call.id for d in p.deadlines] == ["a"]  # b is beyond the 30-day horizon
    assert p.news == () and p.reminders == ()
    assert set(p.records) == {"a", "b"}


def test_new_call_and_moved_deadline_and_new_round() -> None:
    state = sent(
        run([call("a", date(2019, 3, 15))], "2019-03-04", SubscriberState()), SubscriberState()
    )
    calls = [
        call("a", date(2019, 3, 22), date(2019, 6, 30)),  # moved, and a second round
        call("n", date(2019, 9, 1)),  # new, far beyond the horizon: still news
    ]
    p = run(calls, "2019-03-06", state)
    assert p.worth_sending
    by_id = {n.call.id: n for n in p.news}
    assert by_id["n"].is_new and by_id["n"].changes == ()
    changes = [(c.kind, c.old, c.new) for c in by_id["a"].changes]
    assert changes == [("moved", "2019-03-15", "2019-03-22"), ("new_round", None, "2019-06-30")]
    # announced once: after this digest, nothing is news any more
    again = run(calls, "2019-03-06", sent(p, state))
    assert again.news == () and not again.worth_sending


def test_reopened_call() -> None:
    closed = call("a", date(2019, 2, 1))
    state = sent(
        run([closed, call("b", date(2019, 3, 10))], "2019-03-04", SubscriberState()),
        SubscriberState(),
    )
    assert state.calls["a"].open is False
    p = run([call("a", date(2019, 2, 1), date(2019, 4, 30))], "2019-03-05", state)
    [item] = p.news
    assert [c.kind for c in item.changes] == ["reopened", "new_round"]
    assert item.next_round is not None and item.next_round.day == date(2019, 4, 30)


def test_title_url_and_ongoing_changes_are_described() -> None:
    before = run([call("a", date(2019, 3, 15))], "2019-03-04", SubscriberState()).records["a"]
    changed = Call(id="a", title="New", ongoing=True, url="https://example.org/a")
    after = run([changed], "2019-03-04", SubscriberState()).records["a"]
    kinds = [c.kind for c in describe_changes(before, after)]
    assert kinds == ["ongoing", "removed_round", "title", "url"]


def test_a_round_unknown_to_the_reader_owes_no_past_reminder() -> None:
    state = sent(
        run([call("a", date(2019, 3, 15))], "2019-03-01", SubscriberState()), SubscriberState()
    )
    # deadline moved to 20 March, seen on 14 March: J-7 (13 March) was never owed
    p = run([call("a", date(2019, 3, 20))], "2019-03-14", state)
    assert p.reminders == ()
    state = sent(p, state)
    p = run([call("a", date(2019, 3, 20))], "2019-03-19", state)
    assert [(r.offset, r.late) for r in p.reminders] == [(1, False)]


def test_call_remind_days_override_the_subscriber() -> None:
    own = call("a", date(2019, 3, 15), remind_days=(10,))
    state = sent(run([own], "2019-03-01", SubscriberState()), SubscriberState())
    assert [r.offset for r in run([own], "2019-03-05", state).reminders] == [10]
    assert run([own], "2019-03-08", sent(run([own], "2019-03-05", state), state)).reminders == ()


def test_reminder_in_reader_zone_and_on_the_day() -> None:
    sub = CLAIRE.model_copy(update={"remind_days": (0,)})
    eu = Call(
        id="eu",
        title="EU",
        rounds=(Round(day=date(2019, 3, 15), at=time(17, 0), tz="Europe/Brussels"),),
    )
    state = sent(run([eu], "2019-03-01", SubscriberState(), sub), SubscriberState())
    assert [r.offset for r in run([eu], "2019-03-15T09:00", state, sub).reminders] == [0]
    # after 17:00 the round is closed: no reminder, no deadline
    late = run([eu], "2019-03-15T18:00", state, sub)
    assert late.reminders == () and late.deadlines == ()


def test_groups_week_month_later() -> None:
    calls = [
        call("w", date(2019, 3, 10)),  # Sunday of the current week (Mon 4 March)
        call("m", date(2019, 3, 11)),
        call("l", date(2019, 4, 1)),
    ]
    p = run(calls, "2019-03-04", SubscriberState())
    assert [(d.call.id, d.group) for d in p.deadlines] == [
        ("w", "week"),
        ("m", "month"),
        ("l", "later"),
    ]


def test_filters_apply() -> None:
    calls = [
        call("ara", date(2019, 3, 15), territory=("FR-ARA",)),
        call("bzh", date(2019, 3, 15), territory=("FR-BRE",)),
    ]
    sub = CLAIRE.model_copy(update={"territory": ("FR-63",)})
    p = run(calls, "2019-03-04", SubscriberState(), sub)
    assert [d.call.id for d in p.deadlines] == ["ara"]


# -- the guarantees, for every sequence of runs ------------------------------------------------

START = date(2019, 1, 1)
CALLS = [
    call("a", date(2019, 3, 15), date(2019, 5, 29)),
    call("b", date(2019, 2, 20)),
    Call(
        id="r",
        title="R",
        rounds=(Round(date(2019, 4, 10), None, "Europe/Paris"),),
        remind_days=(14, 3, 0),
    ),
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=170), st.booleans()), min_size=1, max_size=25
    )
)
def test_never_twice_never_lost(runs: list[tuple[int, bool]]) -> None:
    """Whatever the run days and the server failures: no reminder twice, none lost."""
    state = SubscriberState()
    delivered: list[tuple[str, str, int]] = []
    ok_days: list[date] = []
    for offset, server_up in sorted(runs):
        day = START + timedelta(days=offset)
        p = plan(CALLS, make_clock(day.isoformat()), CLAIRE, state)
        for r in p.reminders:
            assert r.due <= day < r.round.day + timedelta(days=1)
        per_round = [(r.call.id, r.round.key) for r in p.reminders]
        assert len(per_round) == len(set(per_round))  # one reminder per round per message
        if p.worth_sending and server_up:
            delivered.extend((r.call.id, r.round.key, r.offset) for r in p.reminders)
            state = updated_state(state, p, MESSAGE)
            ok_days.append(day)
        elif not p.worth_sending:
            if p.baseline:
                state = updated_state(state, p, None)
            ok_days.append(day)
    assert len(delivered) == len(set(delivered)), "a reminder was sent twice"
    since = state.since
    if since is None:
        return
    for c in CALLS:
        offsets = c.remind_days or CLAIRE.remind_days
        for rnd in c.rounds:
            for d in offsets:
                due = rnd.day - timedelta(days=d)
                if due < since:
                    continue
                if any(due <= t <= rnd.day for t in ok_days):
                    assert any((c.id, rnd.key) == (i, k) and o <= d for i, k, o in delivered), (
                        f"reminder J-{d} of {c.id} {rnd.key} lost"
                    )


def test_withdrawn_calls_and_invited_stages_leave_the_digest() -> None:
    """A call its source withdrew, and a two-stage topic once only invitees are left,
    are not announced as open (issue 12)."""
    stage_one = Round(day=date(2019, 3, 10), at=None, tz="Europe/Paris", label="stage 1")
    stage_two = Round(day=date(2019, 3, 25), at=None, tz="Europe/Paris", invited=True)
    calls = [
        call("kept", date(2019, 3, 20)),
        call("gone", date(2019, 3, 20), withdrawn=date(2019, 3, 1)),
        Call(id="two", title="Two stages", rounds=(stage_one, stage_two)),
    ]
    before = run(calls, "2019-03-04", SubscriberState())
    assert sorted({d.call.id for d in before.deadlines}) == ["kept", "two"]
    after = run(calls, "2019-03-12", SubscriberState())
    assert [d.call.id for d in after.deadlines] == ["kept"]
