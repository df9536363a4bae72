"""The digest knows the team's projects: end to end against the real SMTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callwatch.digest.ledger import LEDGER_NAME

from .conftest import CALLS, Env, Server
from .test_digest_smtp import TWO, parts

NEW_CALL = """
[[calls]]
id = "coop-2"
title = "Deuxième appel coopération"
territory = ["FR-ARA"]
beneficiaries = ["legal_person", "farmer"]
sources = ["Test"]
deadlines = [{ date = 2019-05-10 }]
"""

ELIGIBLE = """
[project]
title = "Légumerie du Livradois"
territory = "FR-63"

[[partners]]
id = "gaec"
name = "GAEC des Prés"
type = "farmer"
territory = "FR-63"
lead = true
"""

INCOMPLETE = """
[project]
title = "Projet à compléter"
territory = "FR-63"
"""

NOT_ELIGIBLE = """
[project]
title = "Projet breton"
territory = "FR-BRE"

[[partners]]
id = "gaec"
name = "GAEC"
type = "farmer"
territory = "FR-BRE"
lead = true
"""

# Claire follows the team's projects; Bob (in English) only his own, relative to the config.
SUBSCRIBERS = TWO + 'projects = ["projects/a-legumerie.toml"]\n'


@pytest.fixture
def team(env: Env, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The digest run from inside a team repository that names three projects."""
    monkeypatch.delenv("CALLWATCH_TEAM")
    (env.root / ".git").mkdir()
    projects = env.root / "projects"
    projects.mkdir()
    for name, text in (
        ("a-legumerie", ELIGIBLE),
        ("b-a-completer", INCOMPLETE),
        ("c-breton", NOT_ELIGIBLE),
    ):
        (projects / f"{name}.toml").write_text(text, encoding="utf-8")
    (env.root / "callwatch.toml").write_text('projects = ["projects/*.toml"]\n', "utf-8")
    monkeypatch.chdir(env.root)
    return projects


def section(text: str, title: str) -> str:
    """The text of one digest section (from its upper-case title to the next one)."""
    start = text.index(title.upper())
    rest = text[start + len(title) :]
    ends = [rest.index(t) for t in ("ÉCHÉANCES", "DEADLINES", "\n-- ") if t in rest]
    return rest[: min(ends)]


def test_projects_section_reports_each_verdict_once(env: Env, smtp: Server, team: Path) -> None:
    env.write_config(smtp.port, subscribers=SUBSCRIBERS)
    # bob's own project list is relative to the config file
    assert env.config.parent / "projects" == team
    assert env.digest("2019-03-04").exit_code == 0  # baseline: nothing is new
    for got in smtp.handler.received:
        assert "VOS PROJETS" not in parts(got)[0] and "YOUR PROJECTS" not in parts(got)[0]

    # a new call: each project is checked against it
    env.write_calls(CALLS + NEW_CALL)
    result = env.digest("2019-03-05")
    assert result.exit_code == 0, result.output
    claire, bob = smtp.handler.to("claire@example.org")[-1], smtp.handler.to("bob@example.org")[-1]
    text, html = parts(claire)
    ours = section(text, "Vos projets")
    assert "Légumerie du Livradois\n  - Éligible — Deuxième appel coopération (coop-2)" in ours
    assert "Projet à compléter\n  - Incomplet : 1 question à régler — Deuxième appel" in ours
    assert "Prochaine échéance : vendredi 10 mai 2019" in ours
    # relative to the team's root: moving the checkout changes nothing
    assert "callwatch check projects/a-legumerie.toml --call coop-2" in ours
    assert "breton" not in text  # never the projects that are not eligible
    assert "<h2>Vos projets</h2>" in html and "<h3>Légumerie du Livradois</h3>" in html
    english = section(parts(bob)[0], "Your projects")
    assert "Eligible — Deuxième appel coopération (coop-2)" in english
    assert "compléter" not in english  # bob follows only his own project
    verdicts = json.loads((env.state / LEDGER_NAME).read_text())["subscribers"][
        "claire@example.org"
    ]["verdicts"]
    assert verdicts == {
        "projects/a-legumerie.toml|coop-2": "eligible",
        "projects/b-a-completer.toml|coop-2": "incomplete:1",
        "projects/c-breton.toml|coop-2": "not_eligible",
    }

    # the call changes but no verdict does: the call is news, the projects are not
    env.write_calls(CALLS + NEW_CALL.replace("Deuxième appel", "Second appel"))
    before = len(smtp.handler.received)
    assert env.digest("2019-03-06").exit_code == 0
    text = parts(smtp.handler.to("claire@example.org")[-1])[0]
    assert len(smtp.handler.received) == before + 2
    assert "APPELS MODIFIÉS" in text and "VOS PROJETS" not in text

    # the project is completed: its new verdict alone is worth a message, to Claire only
    (team / "b-a-completer.toml").write_text(
        ELIGIBLE.replace("Légumerie du Livradois", "Projet à compléter"), "utf-8"
    )
    before = len(smtp.handler.received)
    assert env.digest("2019-03-07").exit_code == 0
    assert len(smtp.handler.received) == before + 1
    got = smtp.handler.to("claire@example.org")[-1]
    assert got.message["Subject"] == "callwatch : vos projets — 1 appel à regarder"
    ours = section(parts(got)[0], "Vos projets")
    assert "Projet à compléter\n  - Éligible — Second appel coopération (coop-2)" in ours
    assert "Légumerie" not in ours  # told already, unchanged
    assert env.digest("2019-03-08").exit_code == 0  # J-7 of 15 March: reminders only
    for got in smtp.handler.received[before + 1 :]:
        text = parts(got)[0]
        assert ("J-7" in text or "D-7" in text) and "PROJETS" not in text and "PROJECTS" not in text

    # the J-30 reminder of a call a project qualifies for says so
    assert env.digest("2019-04-10").exit_code == 0
    text = parts(smtp.handler.to("claire@example.org")[-1])[0]
    reminder = section(text, "Rappels")
    assert "J-30 — Second appel coopération (coop-2)" in reminder
    assert "Votre projet « Légumerie du Livradois » est éligible à cet appel." in reminder
    assert "Votre projet « Projet à compléter » est éligible à cet appel." in reminder


def test_a_project_no_longer_eligible_is_told_once(env: Env, smtp: Server, team: Path) -> None:
    """Eligible, then the project changes and is not: told once, with the reason; then
    silence. Ledger keys written with absolute paths (before) still count as told."""
    env.write_config(smtp.port)
    assert env.digest("2019-03-04").exit_code == 0  # baseline
    env.write_calls(CALLS + NEW_CALL)
    assert env.digest("2019-03-05").exit_code == 0
    ledger = env.state / LEDGER_NAME
    book = json.loads(ledger.read_text())
    verdicts = book["subscribers"]["claire@example.org"]["verdicts"]
    assert verdicts["projects/a-legumerie.toml|coop-2"] == "eligible"
    # as an older callwatch wrote them: absolute paths
    book["subscribers"]["claire@example.org"]["verdicts"] = {
        f"{team / k.split('/')[1].split('|')[0]}|coop-2": v for k, v in verdicts.items()
    }
    ledger.write_text(json.dumps(book))
    (team / "a-legumerie.toml").write_text(
        ELIGIBLE.replace('"FR-63"', '"FR-BRE"'), encoding="utf-8"
    )
    before = len(smtp.handler.received)
    assert env.digest("2019-03-06").exit_code == 0
    assert len(smtp.handler.received) == before + 1  # that change alone, to Claire
    ours = section(parts(smtp.handler.to("claire@example.org")[-1])[0], "Vos projets")
    assert "Légumerie du Livradois\n  - N'est plus éligible : " in ours
    assert "territoire" in ours  # the reason: the project's territory
    assert "compléter" not in ours and "breton" not in ours  # unchanged: not told again
    before = len(smtp.handler.received)
    assert env.digest("2019-03-07").exit_code == 0
    for got in smtp.handler.received[before:]:
        assert "PROJETS" not in parts(got)[0]


def test_an_invalid_project_stops_the_run_before_sending(
    env: Env, smtp: Server, team: Path
) -> None:
    env.write_config(smtp.port)
    (team / "b-a-completer.toml").write_text("[project]\ntitle = 3\n", "utf-8")
    result = env.digest("2019-03-04")
    assert result.exit_code == 65
    assert f"{team / 'b-a-completer.toml'}:2:" in result.stderr
    assert smtp.handler.received == []
