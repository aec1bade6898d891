"""sampled-hnn: Hamiltonian neural networks trained without backpropagation.

Reproduction of Rahma, Datar, Dietrich, *Training Hamiltonian neural networks without
backpropagation* (arXiv 2411.17511).
"""

import importlib

from shnn import systems
from shnn.data import Dataset, Domain, make_dataset
from shnn.metrics import relative_l2
from shnn.models import SampledHNN, SampledMLP
from shnn.sampling import Method

__all__ = ["AdamHNN", "Dataset", "Domain", "Method", "SampledHNN", "SampledMLP",
           "integrators", "make_dataset", "relative_l2", "systems"]
__version__ = "0.1.0"

#: Submodules reachable as attributes after a plain ``import shnn`` (``shnn.integrators...``),
#: imported on first use, so that ``import shnn`` stays light and free of import cycles. The
#: package's top level is the science (what you reuse on your own Hamiltonian); the
#: reproduction pipeline (presets, stored records, sweeps, figures, the report) is the
#: subpackage ``shnn.pipeline``, which builds on it and is never imported by it.
_SUBMODULES = ("adam", "correction", "data", "energy", "files", "hamiltonian", "integrators",
               "lstsq", "lstsq_torch", "metrics", "models", "own_systems", "parallel", "pipeline",
               "sampling", "systems", "validation")


def __getattr__(name: str):
    # torch is imported only when the Adam baseline is used.
    if name == "AdamHNN":
        from shnn.adam import AdamHNN

        return AdamHNN
    if name in _SUBMODULES:
        return importlib.import_module(f"shnn.{name}")
    raise AttributeError(f"module 'shnn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
