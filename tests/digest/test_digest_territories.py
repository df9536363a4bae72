"""The digest's territory filters read territories as `list --territory` does, team
territories included (defined in the calls files the digest reads)."""

from __future__ import annotations

from .conftest import CALLS, Env

TEAM = """
[[territories]]
id = "gal-livradois-forez"
name = "GAL Livradois-Forez"
members = ["epci:200070761"]

[[calls]]
id = "leader-ambert"
title = "LEADER : projets à Ambert"
territory = ["Ambert"]
deadlines = [{ date = 2019-03-20 }]

[[calls]]
id = "cantal-only"
title = "Appel du Cantal"
territory = ["FR-15"]
deadlines = [{ date = 2019-03-21 }]
"""


def test_a_subscriber_follows_a_team_territory(env: Env) -> None:
    env.write_calls(CALLS + TEAM)
    env.write_config(
        2525, subscribers='to = "c@example.org"\nterritory = ["gal-livradois-forez"]\n'
    )
    result = env.digest("2019-03-04", "--dry-run", "--stdout")
    assert result.exit_code == 0, result.output
    assert "(leader-ambert)" in result.stdout  # Ambert: in the GAL through its EPCI
    assert "Appel du Cantal" not in result.stdout


def test_an_unknown_team_territory_is_a_config_error(env: Env) -> None:
    env.write_calls(CALLS + TEAM)
    env.write_config(2525, subscribers='to = "c@example.org"\nterritory = ["gal-nowhere"]\n')
    result = env.digest("2019-03-04", "--dry-run")
    assert result.exit_code == 78
    assert (
        f"{env.config}: subscribers[0].territory[0]: unknown territory code 'gal-nowhere'"
        in result.stderr
    )
