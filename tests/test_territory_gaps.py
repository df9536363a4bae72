"""Issue 11's remaining gaps: `add` checks team ids like `validate`, every problem of a
call in one run, French names of the overseas régions, territory messages in French,
and the user's own values never translated."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke, WriteCalls

TODAY = {"CALLWATCH_TODAY": "2026-12-04"}


# ---------------------------------------------------------------- L: values kept


def test_french_keeps_the_users_values(cli: Invoke, write_calls: WriteCalls) -> None:
    """'none' and 'deadline' are catalog words ("aucun", "Échéance"): as an id, a
    territory or a title they are the user's and stay as written."""
    path = write_calls(
        """
        [[calls]]
        id = "none"
        title = "none"
        territory = ["zz"]
        ongoing = true
        """
    )
    shown = cli("--lang", "fr", "--data", str(path), "show", "deadline", env=TODAY)
    assert "aucun appel d'id 'deadline'" in shown.stderr
    missing = cli("--lang", "fr", "show", "none", env=TODAY)
    assert "aucun appel d'id 'none'" in missing.stderr
    listed = cli("--lang", "fr", "list", "--territory", "none", env=TODAY)
    assert "code de territoire inconnu 'none'" in listed.stderr
    assert "'aucun'" not in listed.stderr
    checked = cli("--lang", "fr", "validate", str(path), env=TODAY)
    assert "appel 'none' : territory[0] : code de territoire inconnu 'zz'" in checked.stdout


def test_localize_translates_messages_inside_blanks_but_not_values() -> None:
    from callwatch.i18n import localize

    text = "no call with id 'none'"
    assert localize(text, "fr") == "aucun appel d'id 'none'"
    # {hint} holds one of our messages: still translated
    assert localize("no call with id 'x' (see `callwatch list --all`)", "fr").endswith(
        "(voir `callwatch list --all`)"
    )
