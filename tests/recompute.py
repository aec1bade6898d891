"""How closely a committed paper fit, recomputed on this machine, must give its numbers.

Shared by ``test_paper_store.py`` and the cluster test (``tests/cluster/cluster_test.py``),
which both recompute committed fits and compare them with the store.

OpenBLAS picks its kernels by CPU (DYNAMIC_ARCH: e.g. SkylakeX with AVX-512, Haswell on an
AMD EPYC without it), so a fit recomputed on another CPU family than the one that made it
rounds differently: bitwise the same on the same kind of CPU, and within ``CROSS_CPU_RTOL``
across the two kinds these machines have (measured on an AMD EPYC against fits made on the
other kind: at most 4.6e-7 on the two cheapest committed sampled fits, 3.0e-9 on the cheapest
baseline).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

CROSS_CPU_RTOL = 1e-5


def relative_difference(ours: float, committed: float) -> float:
    """``|ours - committed| / |committed|``: 0 when both are equal (or both NaN), inf when
    only one is 0 or NaN."""
    if ours == committed or (math.isnan(ours) and math.isnan(committed)):
        return 0.0
    if math.isnan(ours) or math.isnan(committed):
        return math.inf
    return abs(ours - committed) / abs(committed) if committed else math.inf


def largest_difference(ours: Mapping[str, float], committed: Mapping[str, float],
                       keys: Iterable[str]) -> float:
    """The largest :func:`relative_difference` over ``keys`` of two results."""
    return max((relative_difference(float(ours[k]), float(committed[k])) for k in keys),
               default=0.0)
