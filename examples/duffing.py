"""Your own system: a Duffing double well, ``H = p^2/2 + alpha q^4/4 - beta q^2/2``.

A system of your own is a module-level variable made with ``shnn.systems.from_function``:
the energy as a function of the states ``x: (n, 2*dof)`` (columns ``q..., p...``) returning
H per state ``(n,)``, its degrees of freedom and its parameters with their defaults. Refer to
it by ``FILE.py:VARIABLE`` (paths relative to the working directory, here the repository
root) wherever a built-in system name goes:

    shnn fit --system examples/duffing.py:duffing --param alpha=2 --q-lims -2,2 --p-lims -2,2 \\
             --method aswim --width 200 --train-size 2000 --test-size 2000
    # config/<preset>.yaml, in a sweep:   system: examples/duffing.py:duffing
    shnn.systems.get("examples/duffing.py:duffing", alpha=2.0)

Records and CSVs name it ``examples/duffing.py:duffing@<hash of this file>``: editing this file
gives new records, never those of the former version.
"""

import numpy as np

from shnn.systems import from_function


def energy(x, alpha, beta):
    """H per state. ``x``: a float64 torch tensor ``(n, 2)``, columns ``(q, p)``; the
    gradient comes from torch autograd, so any torch operation may be used."""
    q, p = x[:, 0], x[:, 1]
    return p**2 / 2 + alpha * q**4 / 4 - beta * q**2 / 2


duffing = from_function(energy, dof=1, name="duffing", params={"alpha": 1.0, "beta": 1.0})


# The same system written with numpy: a numpy energy needs its gradient (autograd cannot
# differentiate numpy code), returned as (dH/dq..., dH/dp...) per state, shape (n, 2*dof).
def energy_numpy(x, alpha, beta):
    q, p = x[:, 0], x[:, 1]
    return p**2 / 2 + alpha * q**4 / 4 - beta * q**2 / 2


def gradient_numpy(x, alpha, beta):
    q, p = x[:, 0], x[:, 1]
    return np.stack([alpha * q**3 - beta * q, p], axis=1)


duffing_numpy = from_function(energy_numpy, dof=1, name="duffing_numpy", grad=gradient_numpy,
                              backend="numpy", params={"alpha": 1.0, "beta": 1.0})
