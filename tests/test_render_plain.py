"""Plain tables (pipes, cron, NO_COLOR): columns aligned by terminal cells."""

from __future__ import annotations

import pytest

from callwatch.output.render import Cell, Column, table


def test_right_justified_columns_align_on_their_right_edge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    columns = [Column("Days", justify="right"), Column("Id"), Column("Aid", justify="right")]
    rows = [
        [Cell("3"), Cell("short"), Cell("1 000 €")],
        [Cell("120"), Cell("a-much-longer-id"), Cell("80 €")],
    ]
    table(columns, rows)
    assert capsys.readouterr().out.splitlines() == [
        "Days  Id                    Aid",
        "   3  short             1 000 €",
        " 120  a-much-longer-id     80 €",
    ]


def test_wide_characters_are_padded_by_cells(capsys: pytest.CaptureFixture[str]) -> None:
    table([Column("Title"), Column("N", justify="right")], [[Cell("農業🚀"), Cell("1")]])
    assert capsys.readouterr().out.splitlines() == ["Title   N", "農業🚀  1"]
