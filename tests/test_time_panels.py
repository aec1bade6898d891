"""The smoothness check of the paper figures' time panels (``tools/time_panels.py``)."""

import time_panels  # tools/time_panels.py (pytest adds tools/ to the path)


def _rows(means: dict[int, float], highs: dict[int, float] | None = None) -> list[dict]:
    highs = highs or {}
    return [{"value": str(v), "time_mean": str(m), "time_max": str(highs.get(v, m))}
            for v, m in means.items()]


def test_a_smooth_curve_passes_and_a_jump_or_a_slow_fit_is_named():
    smooth = {w: w / 500 for w in range(500, 4001, 500)}
    assert time_panels.check(_rows(smooth)) == (8, [])
    judged, failures = time_panels.check(_rows({**smooth, 2500: 5.0 * 1.2}))
    assert judged == 8 and failures == ["2500: mean +20% off its neighbours"]
    judged, failures = time_panels.check(_rows(smooth, {2000: 4.0 * 1.6}))
    assert failures == ["2000: slowest fit 6.40 s, 1.60x the mean"]
    quick = {w: m / 10 for w, m in smooth.items()}  # below a second: not judged
    assert time_panels.check(_rows(quick, {1500: 5.0})) == (0, [])
