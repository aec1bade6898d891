"""A system whose H is not defined at the origin: H = p^2/2 + q - log(q), for q > 0.

Smooth on any domain with q > 0 (its minimum is at q = 1, p = 0), but H(0, 0) is infinite, so
the anchor of the integration constant cannot be the origin. Left out, it becomes the domain's
centre (docs/own-system.md, "The anchor"):

    shnn fit --system examples/log_oscillator.py:log_oscillator --q-lims 0.5,2 --p-lims -1,1 \\
             --method aswim --width 200 --train-size 2000 --test-size 2000
"""

import torch

from shnn.systems import from_function


def energy(x: torch.Tensor) -> torch.Tensor:
    """H per state; ``x: (n, 2)`` with columns ``(q, p)``."""
    q, p = x[:, 0], x[:, 1]
    return p**2 / 2 + q - torch.log(q)


log_oscillator = from_function(energy, dof=1, name="log_oscillator")
