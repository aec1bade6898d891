"""sampled-hnn: Hamiltonian neural networks trained without backpropagation.

Reproduction of Rahma, Datar, Dietrich, *Training Hamiltonian neural networks without
backpropagation* (arXiv 2411.17511).
"""

from shnn import systems
from shnn.data import Dataset, Domain, make_dataset
from shnn.metrics import relative_l2
from shnn.models import SampledHNN, SampledMLP
from shnn.sampling import Method

__all__ = ["AdamHNN", "Dataset", "Domain", "Method", "SampledHNN", "SampledMLP",
           "make_dataset", "relative_l2", "systems"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # torch is imported only when the Adam baseline is used.
    if name == "AdamHNN":
        from shnn.adam import AdamHNN

        return AdamHNN
    raise AttributeError(name)
