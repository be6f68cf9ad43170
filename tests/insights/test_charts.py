"""The chart geometry: a round scale with whole steps, bars in proportion, labels thinned."""

import pytest

from portal.insights.charts import HEIGHT, MAX_LABELS, bar_chart, nice_top


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 4), (1, 4), (4, 4), (4.5, 8), (9, 12), (13, 20), (21, 40), (99, 120), (1001, 1200)],
)
def test_the_scale_tops_out_at_a_round_number_with_whole_quarters(value, top):
    assert nice_top(value) == top and top % 4 == 0


def test_bars_are_in_proportion_to_the_scale():
    chart = bar_chart("k", "T", "D", ["a", "b", "c"], [[2], [0], [4]])
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3", "4"]
    a, b, c = chart.bars
    assert c.height == 2 * a.height and b.height == 0
    assert c.y + c.height == chart.base == HEIGHT - 46
    assert c.y == chart.ticks[-1].y  # the top bar reaches the top line


def test_series_sit_side_by_side_with_a_legend():
    chart = bar_chart("k", "T", "D", ["w1", "w2"], [[1, 2, 3], [0, 0, 0]], series=["x", "y", "z"])
    assert len(chart.bars) == 6 and [name for name, _c in chart.legend] == ["x", "y", "z"]
    first, second = chart.bars[:2]
    assert second.x == pytest.approx(first.x + first.width, abs=0.2)
    assert first.colour != second.colour


def test_long_category_lists_keep_a_readable_number_of_labels():
    days = [str(n) for n in range(366)]
    chart = bar_chart("k", "T", "D", days, [[1]] * 366)
    assert len(chart.bars) == 366 and len(chart.labels) <= MAX_LABELS
    assert bar_chart("k", "T", "D", [], []).bars == []
