"""How `check` words control links: the path of an indirect control and the sum of
pooled holdings, mutual control both ways, a controller of many partners in one sentence."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from callwatch.domain.independence import control_steps
from callwatch.domain.project import ControlLink
from tests.rules_support import FLAGSHIP, cli

HEAD = """
[project]
title = "Test"
territory = "FR-42"
submission = 2019-03-10
"""

PARTNER = """
[[partners]]
id = "{id}"
name = "{id}"
type = "private_sector"
roles = ["processor"]
territory = "FR-42"
"""


def partnership(tmp_path: Path, partners: list[str], tail: str) -> Path:
    text = HEAD + "".join(PARTNER.format(id=p) for p in partners) + tail
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def found(path: Path, lang: str = "en") -> str:
    result = cli("check", str(path), "--call", FLAGSHIP, "--json", "--lang", lang)
    data = json.loads(result.stdout)
    stack = list(data["criteria"])
    while stack:
        e = stack.pop()
        if e["id"] == "partenariat":
            return str(e["found"])
        stack.extend(e["children"])
    raise AssertionError("no partnership criterion")


def link(a: str, b: str, share: str | None = None) -> str:
    if share is None:
        return f'\n[[control]]\ncontroller = "{a}"\ncontrolled = "{b}"\nbasis = "decision_power"\n'
    return (
        f'\n[[control]]\ncontroller = "{a}"\ncontrolled = "{b}"\nbasis = "shares"\n'
        f"share = {share}\n"
    )


ENTITIES = """
[[entities]]
id = "coop-bugey"
name = "Coopérative du Bugey"
type = "private_sector"

[[entities]]
id = "holding-a"
name = "Holding A"
type = "private_sector"

[[entities]]
id = "holding-b"
name = "Holding B"
type = "private_sector"
"""


def test_indirect_control_shows_its_path_and_the_sum_of_pooled_holdings(tmp_path: Path) -> None:
    tail = (
        ENTITIES
        + link("coop-bugey", "holding-a", "0.6")
        + link("coop-bugey", "holding-b", "0.7")
        + link("holding-a", "transports-revermont", "0.3")
        + link("holding-b", "transports-revermont", "0.25")
        + link("coop-bugey", "laiterie", "0.8")
    )
    path = partnership(tmp_path, ["laiterie", "transports-revermont"], tail)
    text = found(path)
    assert (
        "coop-bugey controls laiterie (80%) and transports-revermont (through holding-a (60%)"
        " and holding-b (70%): holding-a 30% + holding-b 25% = 55%)"
    ) in text
    french = found(path, "fr")
    assert "holding-a 30\u00a0% + holding-b 25\u00a0% = 55\u00a0%" in french
    assert (
        "coop-bugey contrôle laiterie (80\u00a0%) et transports-revermont (par holding-a" in french
    )


def test_mutual_control_is_said_both_ways(tmp_path: Path) -> None:
    tail = link("a", "b", "0.6") + link("b", "a", "0.6")
    text = found(partnership(tmp_path, ["a", "b"], tail))
    assert "a and b control each other" in text
    assert "a controls b" not in text and "b controls a" not in text


def test_a_controller_of_many_partners_is_one_sentence(tmp_path: Path) -> None:
    star = ["p1", "p2", "p3", "p4", "p5"]
    tail = '\n[[entities]]\nid = "hub"\nname = "Hub"\ntype = "private_sector"\n' + "".join(
        link("hub", p, None) for p in star
    )
    text = found(partnership(tmp_path, star, tail))
    assert text.count("hub controls") == 1
    assert "hub controls p1, p2, p3, p4 and p5" in text


def test_control_steps_keep_only_what_the_target_needs() -> None:
    links = [
        ControlLink("c", "x", "shares", Decimal("0.9")),  # unrelated holding
        ControlLink("c", "h", "shares", Decimal("0.51")),
        ControlLink("h", "t", "voting_rights", Decimal("0.6")),
    ]
    steps = control_steps("c", "t", links)
    assert [s.target for s in steps] == ["h", "t"]
    assert steps[-1].holders == (("h", Decimal("0.6")),)
    assert control_steps("t", "c", links) == []
