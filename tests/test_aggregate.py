"""Aggregation over repeats and the comparisons the figure notebooks print."""

import pytest

from shnn.pipeline import aggregate


def _rows():
    rows = []
    for value, base in ((500, 4e-2), (1000, 2e-2)):
        for k, method in enumerate(("elm", "uswim", "aswim", "swim")):
            for repeat in range(2):
                rows.append({"sweep": "dp", "value": value, "method": method,
                             "test_rel_l2_H": base * (1 + 0.2 * k) * (1 + repeat),
                             "fit_seconds": (2.0 if method == "aswim" else 1.0) * value / 500})
    return rows


def test_summarize_mean_min_max():
    summary = aggregate.summarize(_rows())
    elm = next(r for r in summary if r["value"] == 500 and r["method"] == "elm")
    assert elm["repeats"] == 2
    assert elm["err_mean"] == pytest.approx(6e-2) and elm["err_min"] == pytest.approx(4e-2)
    assert elm["err_max"] == pytest.approx(8e-2)


def test_summarize_times_over_the_same_fits():
    """Fit times are aggregated per sweep, value and method, over the repeats (figures 5-7)."""
    rows = _rows()
    for k, r in enumerate(rows):
        r["fit_seconds"] = 1.0 + k  # every fit its own time
    summary = aggregate.summarize(rows)
    for s in summary:
        seconds = [r["fit_seconds"] for r in rows if (r["value"], r["method"]) ==
                   (s["value"], s["method"])]
        assert len(seconds) == s["repeats"] == 2
        assert (s["time_mean"], s["time_min"], s["time_max"]) == pytest.approx(
            (sum(seconds) / 2, min(seconds), max(seconds)))


def test_spread_ratio_and_monotonicity():
    summary = aggregate.summarize(_rows())
    assert aggregate.method_spread(summary, "dp") == pytest.approx({500.0: 1.6, 1000.0: 1.6})
    assert aggregate.column_ratio(summary, "dp", "swim", "elm") == pytest.approx(
        {500.0: 1.6, 1000.0: 1.6})
    assert aggregate.improving_in_value(summary, "dp", 1.05) == dict.fromkeys(
        ("aswim", "elm", "swim", "uswim"), True)
    text = aggregate.time_ratio_text(summary, "dp", "aswim", "uswim")
    assert text == "dp: time aswim / uswim = 2.00 (500), 2.00 (1000)"


def test_increasing_error_is_flagged():
    rows = _rows()
    for r in rows:
        if r["method"] == "elm" and r["value"] == 1000:
            r["test_rel_l2_H"] = 1.0
    assert aggregate.improving_in_value(aggregate.summarize(rows), "dp", 1.05)["elm"] is False
