"""Your own Hamiltonian: a system from a function of the state, loaded by reference.

:func:`from_function` turns ``energy(x, **params) -> H`` into a :class:`CustomSystem` whose
every result is checked (one-line errors naming the function); :func:`load` finds one by a
reference ``FILE.py:NAME`` or ``MODULE:NAME`` and names it with a hash of its source
(docs/own-system.md). Users reach all of this as ``shnn.systems.X``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from shnn.hamiltonian import Array, System, check_param
from shnn.validation import article, plural

#: Array libraries a user-defined energy can be written in (:func:`from_function`).
BACKENDS = ("torch", "numpy")


def _callable_name(fn: Callable[..., Any]) -> str:
    """How a message names a user's function: its qualified name, else its ``repr``."""
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def _first_line(exc: BaseException) -> str:
    """``exc`` in one line: its type and the first line of its message."""
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(frozen=True, eq=False)
class CustomSystem(System):
    """A user-defined system from a function of the state returning H (:func:`from_function`).

    ``energy(x, **params)`` gets ``x: (n, 2*dof)`` (a float64 ``torch.Tensor`` when
    ``backend="torch"``, a numpy array when ``backend="numpy"``) and returns H per state,
    shape ``(n,)``. The gradient comes from torch autograd unless ``grad(x, **params)`` (numpy
    in and out, ``(n, 2*dof)``) is given. Every result is checked: a wrong shape, a
    non-finite value or a failing call is a one-line ``ValueError`` naming the function.
    """

    energy: Callable[..., Any]
    dof: int = 1  # type: ignore[misc]
    name: str = "custom"  # type: ignore[misc]
    grad: Callable[..., Any] | None = None
    backend: str = "torch"
    #: Parameter defaults, in the order given to :func:`from_function`.
    defaults: tuple[tuple[str, float], ...] = ()
    #: This instance's parameter values (all of :attr:`defaults`' names); empty: the defaults.
    values: tuple[tuple[str, float], ...] = ()

    @property
    def params(self) -> dict[str, float]:
        return dict(self.values or self.defaults)

    def with_params(self, **params: Any) -> CustomSystem:
        """A copy with some parameters changed (names of :attr:`defaults`, finite numbers)."""
        allowed = dict(self.defaults)
        for key, value in params.items():
            if key not in allowed:
                choices = (f"choose from {', '.join(allowed)}" if allowed
                           else "it has no parameters")
                raise ValueError(f"unknown parameter {key!r} for system {self.name!r}; "
                                 f"{choices}")
            check_param(key, value, self.name)
        merged = {**self.params, **{k: float(v) for k, v in params.items()}}
        return replace(self, values=tuple(merged.items()))

    def _who(self, what: str = "energy") -> str:
        energy = f"energy function {_callable_name(self.energy)!r}"
        if what == "energy":
            who = energy
        elif self.grad is None:
            who = f"gradient (autograd of the {energy})"
        else:
            who = f"gradient function {_callable_name(self.grad)!r}"
        return f"{who} of system {self.name!r}"

    def _call(self, what: str, x: Any) -> Any:
        fn = self.energy if what == "energy" else self.grad
        try:
            return fn(x, **self.params)
        except Exception as exc:  # the user's code: report it in one line, with context
            kind = type(x).__module__.split(".")[0] + " " + type(x).__name__
            hint = ""
            if what == "energy" and self.backend == "torch" and self.grad is None:
                hint = (". Without grad= the energy gets a torch tensor and must use torch "
                        "operations (autograd differentiates it): write it with torch, or "
                        "give backend='numpy' and grad=")
            raise ValueError(f"{self._who(what)} failed on x of shape {tuple(x.shape)} "
                             f"({kind}): {_first_line(exc).rstrip('.')}{hint}") from None

    def _checked(self, what: str, value: Any, x: Array, shape: tuple[int, ...]) -> Array:
        """``value`` (a function's result at ``x``) as float64 of ``shape``, all finite."""
        if type(value).__module__.split(".")[0] == "torch":
            value = value.detach().cpu().numpy()
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self._who(what)} returned {article(type(value).__name__)}, "
                             f"not an array of shape {shape}") from None
        n = x.shape[0]
        if arr.shape != shape:
            got = "a scalar" if arr.ndim == 0 else f"shape {arr.shape}"
            want = ("H per state, shape" if what == "energy"
                    else "(dH/dq..., dH/dp...) per state, shape")
            hint = " (do not sum over the states)" if arr.ndim == 0 and what == "energy" else ""
            raise ValueError(f"{self._who(what)} returned {got} for {plural(n, 'state')}; "
                             f"it must return {want} {shape}{hint}")
        bad = ~np.isfinite(arr) if arr.ndim == 1 else ~np.isfinite(arr).all(axis=1)
        if bad.any():
            first = "[" + ", ".join(f"{v:.4g}" for v in x[np.argmax(bad)]) + "]"
            raise ValueError(f"{self._who(what)} is not finite at {int(bad.sum())} of "
                             f"{plural(n, 'state')} (first at x = {first}); it must be finite "
                             "on the domain and at the anchor")
        return arr

    def _hamiltonian(self, x: Array) -> Array:
        if self.backend == "numpy":
            return self._checked("energy", self._call("energy", x.copy()), x, (x.shape[0],))
        import torch

        with torch.no_grad():
            value = self._call("energy", torch.from_numpy(np.array(x)))
        return self._checked("energy", value, x, (x.shape[0],))

    def _gradient(self, x: Array) -> Array:
        if self.grad is not None:
            return self._checked("gradient", self._call("gradient", x.copy()), x, x.shape)
        import torch

        xt = torch.from_numpy(x.copy()).requires_grad_(True)
        value = self._call("energy", xt)
        if not isinstance(value, torch.Tensor):
            raise ValueError(f"{self._who()} returned {article(type(value).__name__)}, not a "
                             "torch tensor, so autograd cannot differentiate it: write it with "
                             "torch operations, or give grad= (numpy, x -> (n, 2*dof)) and "
                             "backend='numpy'")
        self._checked("energy", value, x, (x.shape[0],))
        if not value.requires_grad:
            raise ValueError(f"{self._who()} returned a tensor that does not depend on x "
                             "through torch operations, so autograd cannot differentiate it")
        (grad,) = torch.autograd.grad(value.sum(), xt, allow_unused=True)
        grad = torch.zeros_like(xt) if grad is None else grad
        return self._checked("gradient", grad, x, x.shape)


def _check_accepts(fn: Callable[..., Any], params: Mapping[str, float], what: str) -> None:
    """Raise if ``fn(x, **params)`` cannot be called (when its signature is known)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        sig.bind(None, **params)
    except TypeError as exc:
        keys = ", ".join(params) or "no parameters"
        raise ValueError(f"{what} function {_callable_name(fn)!r} cannot be called as "
                         f"f(x, {keys}): {exc}") from None


def from_function(energy: Callable[..., Any], dof: int, name: str = "custom",
                  grad: Callable[..., Any] | None = None, *,
                  params: Mapping[str, float] | None = None,
                  backend: str = "torch") -> CustomSystem:
    """Build a :class:`System` from ``energy(x, **params) -> H`` (``(n,)`` for ``x: (n, 2*dof)``).

    ``backend="torch"`` (default): ``energy`` gets a float64 torch tensor and the gradient
    comes from autograd, unless ``grad`` is given. ``backend="numpy"``: ``energy`` gets a
    numpy array and ``grad(x, **params) -> (n, 2*dof)`` (numpy, ``(dH/dq..., dH/dp...)``) is
    required. ``params``: parameter names and defaults, passed to ``energy`` and ``grad`` as
    keyword arguments (change them with ``shnn.systems.get(ref, alpha=2)`` or
    :meth:`CustomSystem.with_params`).

    Put the result in a module-level variable of a file to use it everywhere by reference:
    ``shnn fit --system path/to/file.py:variable``, ``system: path/to/file.py:variable`` in a
    preset's sweep, ``shnn.systems.get("path/to/file.py:variable")``.
    """
    if not callable(energy):
        raise ValueError(f"energy must be callable, got {energy!r}")
    if isinstance(dof, bool) or not isinstance(dof, int) or dof < 1:
        raise ValueError(f"dof must be a positive integer, got {dof!r}")
    if grad is not None and not callable(grad):
        raise ValueError(f"grad must be callable or None, got {grad!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if backend == "numpy" and grad is None:
        raise ValueError(f"energy function {_callable_name(energy)!r} is a numpy function "
                         "(backend='numpy') and no grad= is given: autograd needs torch "
                         "operations, so give grad(x) -> (n, 2*dof) or write the energy with "
                         "torch (backend='torch')")
    params = dict(params or {})
    for key, value in params.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(f"parameter names must be identifiers, got {key!r}")
        check_param(key, value, name)
    _check_accepts(energy, params, "energy")
    if grad is not None:
        _check_accepts(grad, params, "gradient")
    return CustomSystem(energy=energy, dof=dof, name=name, grad=grad, backend=backend,
                        defaults=tuple((k, float(v)) for k, v in params.items()))


# --- Systems defined in the user's own files -------------------------------------------------
#
# A reference ``path/to/file.py:variable`` (or ``package.module:variable``) names a module-level
# variable holding a system made with :func:`from_function`. Loaded, the system's name is the
# reference plus ``@`` and a hash of the file's source, e.g.
# ``examples/duffing.py:duffing@3f2a9c1b04de``: records, CSVs and messages carry that name, so
# an edited file never reuses the records of its former version, and a name with a hash is only
# loaded while the file still has that hash.

#: Hex digits of the source hash in a loaded system's name.
HASH_LENGTH = 12

_REFERENCE = re.compile(r"^(?P<source>.+):(?P<attr>[A-Za-z_]\w*)(?:@(?P<digest>[0-9a-f]+))?$")
_MODULES: dict[tuple[str, str], ModuleType] = {}


@dataclass(frozen=True)
class Reference:
    """A parsed reference: ``source`` (a file path or a module name), ``attr``, ``digest``."""

    source: str
    attr: str
    digest: str | None = None

    @property
    def is_file(self) -> bool:
        return self.source.endswith(".py") or "/" in self.source or os.sep in self.source

    def name(self, digest: str) -> str:
        """The system name of this reference with the source hash ``digest``."""
        return f"{self.source}:{self.attr}@{digest}"


def is_reference(name: object) -> bool:
    """Whether ``name`` is a reference to a user-defined system (``FILE.py:NAME``,
    ``MODULE:NAME``, optionally ``@HASH``), not a built-in name (those never hold ``:``)."""
    return isinstance(name, str) and ":" in name


def parse_reference(text: str) -> Reference:
    """Split ``FILE.py:NAME[@HASH]`` or ``MODULE:NAME[@HASH]``; file paths are normalized."""
    match = _REFERENCE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"system reference {text!r} is not FILE.py:NAME or MODULE:NAME "
                         "(NAME: a variable holding shnn.systems.from_function(...))")
    ref = Reference(match["source"], match["attr"], match["digest"])
    if ref.is_file:
        ref = replace(ref, source=Path(os.path.normpath(ref.source)).as_posix())
    elif not all(part.isidentifier() for part in ref.source.split(".")):
        raise ValueError(f"system reference {text!r}: {ref.source!r} is neither a .py file nor "
                         "a module name")
    return ref


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def _run_user_code(text: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as exc:  # the user's module: one line, naming it
        raise ValueError(f"system {text!r}: loading failed: {_first_line(exc)}") from None


def _load_module(text: str, ref: Reference) -> tuple[ModuleType, str]:
    """The module of ``ref`` and the hash of its source file (loaded once per hash)."""
    if ref.is_file:
        path = Path(ref.source)
        if not path.is_file():
            raise ValueError(f"system {text!r}: file {ref.source!r} does not exist (relative "
                             f"paths start at the working directory {os.getcwd()})")
        digest = _digest(path.read_bytes())
        key = (str(path.resolve()), digest)
        if key not in _MODULES:
            stem = re.sub(r"\W", "_", path.stem)
            module_name = f"_shnn_user_{stem}_{digest}"
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                raise ValueError(f"system {text!r}: {ref.source!r} is not a Python file")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            try:
                _run_user_code(text, lambda: spec.loader.exec_module(module))
            except ValueError:
                del sys.modules[module_name]
                raise
            _MODULES[key] = module
        return _MODULES[key], digest
    try:
        module = importlib.import_module(ref.source)
    except ModuleNotFoundError as exc:
        if exc.name and ref.source.startswith(exc.name):
            raise ValueError(f"system {text!r}: no module named {ref.source!r}") from None
        raise ValueError(f"system {text!r}: loading failed: {_first_line(exc)}") from None
    except Exception as exc:
        raise ValueError(f"system {text!r}: loading failed: {_first_line(exc)}") from None
    source = getattr(module, "__file__", None)
    if not source:
        raise ValueError(f"system {text!r}: module {ref.source!r} has no source file to hash")
    return module, _digest(Path(source).read_bytes())


def load(text: str) -> CustomSystem:
    """The user-defined system a reference names, with its parameter defaults.

    Its name is the reference with the hash of its source (:data:`HASH_LENGTH` hex digits).
    A reference with ``@HASH`` must match the file's current source.
    """
    ref = parse_reference(text)
    module, digest = _load_module(text, ref)
    if ref.digest is not None and ref.digest != digest:
        raise ValueError(f"system {text!r}: {ref.source} has changed since that name was "
                         f"made (its source hash is now {digest}); the records of the former "
                         "version keep the former name")
    if not hasattr(module, ref.attr):
        found = [k for k, v in vars(module).items() if isinstance(v, CustomSystem)]
        where = f" (systems there: {', '.join(found)})" if found else ""
        raise ValueError(f"system {text!r}: {ref.source} has no variable {ref.attr!r}{where}")
    obj = getattr(module, ref.attr)
    if not isinstance(obj, CustomSystem):
        if callable(obj):
            raise ValueError(f"system {text!r}: {ref.attr!r} is a function, not a system; in "
                             f"{ref.source} write my_system = shnn.systems.from_function("
                             f"{ref.attr}, dof=...) and refer to {ref.source}:my_system")
        raise ValueError(f"system {text!r}: {ref.attr!r} is {article(type(obj).__name__)}, "
                         "not a system made with shnn.systems.from_function")
    return replace(obj, name=ref.name(digest))


def source_files(name: str) -> list[str]:
    """The file a referenced system is defined in (``[]`` for built-in and module names)."""
    if not is_reference(name):
        return []
    ref = parse_reference(name)
    return [ref.source] if ref.is_file else []


def path_label(name: str) -> str:
    """``name`` as one folder name of a record path: built-in names unchanged, a reference
    with every character but letters, digits and ``._@+-`` replaced by ``_``
    (``examples_duffing.py_duffing@3f2a9c1b04de``)."""
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", name)

