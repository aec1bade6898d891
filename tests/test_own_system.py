"""Your own system (docs/own-system.md): defined once in a file, named FILE.py:NAME in
``shnn fit``, in a preset's sweep and in the Python API; checked with one-line errors; its
records never shared with another function; the built-in systems' names and paths unchanged.
Also the fit's ``H``/``H0``/``x0`` checks and ``shnn.integrators`` after ``import shnn``."""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from shnn import SampledHNN, systems
from shnn.data import Domain, make_dataset
from shnn.pipeline import sweeps
from shnn.pipeline.config import ConfigError, load
from shnn.pipeline.records import record_path

ROOT = Path(__file__).resolve().parents[1]
DUFFING = "examples/duffing.py:duffing"
NAME = re.compile(r"^examples/duffing\.py:duffing@[0-9a-f]{12}$")
FIT = ["fit", "--q-lims", "-2,2", "--p-lims", "-2,2", "--width", "30", "--train-size", "200",
       "--test-size", "100"]


def shnn_cli(*args):
    return subprocess.run([sys.executable, "-m", "shnn.cli", *args], cwd=ROOT,
                          capture_output=True, text=True)


def one_line_error(call, *needles):
    """``call()`` raises a one-line ValueError containing every needle; returns its text."""
    with pytest.raises(ValueError) as info:
        call()
    text = str(info.value)
    assert "\n" not in text, text
    for needle in needles:
        assert needle in text, (needle, text)
    return text


def user_file(tmp_path, body, name="mine.py"):
    path = tmp_path / name
    path.write_text("import numpy as np\nimport torch\n\nfrom shnn.systems import from_function\n"
                    + textwrap.dedent(body))
    return path


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


# --- the command line, a preset's sweep, the Python API ---------------------------------------

def test_cli_fit_own_system():
    result = shnn_cli(*FIT, "--system", DUFFING, "--method", "aswim", "--param", "alpha=2",
                      "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert NAME.match(record["settings"]["system"])
    assert record["settings"]["params"] == {"alpha": 2.0, "beta": 1.0}
    assert record["test_rel_l2_H"] < 0.2  # measured 6.9e-2 (width 30, 200 points)


@pytest.mark.parametrize("args, needle", [
    (["--system", "examples/none.py:duffing"], "file 'examples/none.py' does not exist"),
    (["--system", "examples/duffing.py:nope"], "has no variable 'nope'"),
    (["--system", "examples/duffing.py:energy"], "'energy' is a function, not a system"),
    (["--system", DUFFING, "--param", "gamma=1"], "unknown parameter 'gamma'"),
    (["--system", DUFFING, "--q-lims", "-1,1", "--p-lims", "-1,1"], "has 1 degree of freedom"),
])
def test_cli_errors_for_own_system_are_one_line(args, needle):
    result = shnn_cli(*FIT, "--method", "elm", *args)  # extra --q-lims: 2 for 1 dof
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert result.stdout == ""


def test_cli_error_from_the_users_function_is_one_line(tmp_path):
    path = user_file(tmp_path, """
        def energy(x):
            return torch.log(x[:, 0]) + x[:, 1] ** 2
        logq = from_function(energy, dof=1)
    """)
    result = shnn_cli(*FIT, "--system", f"{path}:logq", "--method", "elm")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'energy'" in lines[0] and "not finite at" in lines[0]


def test_python_api_and_parameters(at_root):
    system = systems.get(DUFFING)
    assert NAME.match(system.name) and system.dof == 1
    assert system.params == {"alpha": 1.0, "beta": 1.0}
    assert systems.parameters(DUFFING) == {"alpha": 1.0, "beta": 1.0}
    x = np.array([[0.5, -1.0], [1.0, 0.0], [-2.0, 2.0]])
    q, p = x.T
    np.testing.assert_allclose(system.hamiltonian(x), p**2 / 2 + q**4 / 4 - q**2 / 2, atol=1e-15)
    np.testing.assert_allclose(system.gradient(x), np.stack([q**3 - q, p], 1), atol=1e-14)
    two = systems.get(DUFFING, alpha=2.0)
    assert two.params == {"alpha": 2.0, "beta": 1.0} and two.name == system.name
    np.testing.assert_allclose(two.gradient(x)[:, 0], 2 * q**3 - q, atol=1e-14)
    # the numpy version with its analytic gradient, and the name with its hash, round trip
    numpy_version = systems.get("examples/duffing.py:duffing_numpy", alpha=2.0)
    np.testing.assert_allclose(numpy_version.gradient(x), two.gradient(x), atol=1e-14)
    assert systems.get(system.name, **system.params).name == system.name
    assert systems.get("./examples//duffing.py:duffing").name == system.name
    assert systems.resolve({"name": DUFFING, "beta": 0.5}).params["beta"] == 0.5
    one_line_error(lambda: systems.get(DUFFING, alpha=float("nan")), "alpha=nan")


def test_module_reference(at_root, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    system = systems.get("examples.duffing:duffing")
    assert system.name.startswith("examples.duffing:duffing@")
    one_line_error(lambda: systems.get("no_such_module_xyz:duffing"),
                   "no module named 'no_such_module_xyz'")


def tiny_sweep(**changes):
    sweep = {"system": DUFFING, "domain": "well", "q_lims": [[-2.0, 2.0]],
             "p_lims": [[-2.0, 2.0]], "train_size": 120, "test_size": 60,
             "vary": {"width": [10, 20]}, "repeats": 2, "methods": ["elm", "aswim", "swim"],
             "data_seed": 3943, "model_seed": 992472}
    return {**sweep, **changes}


def test_sweep_over_own_system(tmp_path, at_root):
    rows = sweeps.run_sweep("ex", tiny_sweep(), tmp_path, progress=False)
    assert len(rows) == 2 * 2 * 3
    name = systems.get(DUFFING).name
    assert {r["system"] for r in rows} == {name}
    assert all(0 < r["test_rel_l2_H"] < 1 for r in rows)
    label = name.replace("/", "_").replace(":", "_")
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json"))
    assert len(files) == 12 and all(f.startswith(f"system~{label}/domain~well/") for f in files)
    again = sweeps.run_sweep("ex", tiny_sweep(), tmp_path, progress=False)
    assert [r["test_rel_l2_H"] for r in again] == [r["test_rel_l2_H"] for r in rows]
    # a parameter of your own can be swept like a built-in one; it appears in the path
    varied = sweeps.run_sweep("ex-alpha", tiny_sweep(width=20, vary={"alpha": [0.5, 2.0]}),
                              tmp_path, progress=False)
    assert {r["value"] for r in varied} == {0.5, 2.0}
    assert list(tmp_path.glob(f"system~{label}/alpha~0.5/domain~well/*/*/width~20/*/*.json"))
    csv = tmp_path / "ex.csv"
    sweeps.write_csv(rows, csv)
    assert {r["system"] for r in sweeps.read_csv(csv)} == {name}


def test_preset_with_own_system_validates(tmp_path, at_root):
    smoke = load(ROOT / "config" / "smoke.yaml")
    assert smoke["sweeps"]["ex-duffing"]["system"] == DUFFING
    assert "ex-duffing" in load(ROOT / "config" / "default.yaml")["sweeps"]
    assert "ex-duffing" not in load(ROOT / "config" / "paper.yaml")["sweeps"]
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    (tmp_path / "schema.yaml").write_text((ROOT / "config" / "schema.yaml").read_text())
    for mutate, needle in [
        (lambda c: c["sweeps"]["ex-duffing"].update(system="examples/none.py:duffing"),
         "does not exist"),
        (lambda c: c["sweeps"]["ex-duffing"].update(vary={"gamma": [1.0]}), "'gamma'"),
        (lambda c: c["energy"].update(system=DUFFING), "a system of your own goes in a sweep"),
    ]:
        bad = yaml.safe_load(yaml.safe_dump(config))
        mutate(bad)
        path = tmp_path / "bad.yaml"
        path.write_text(yaml.safe_dump(bad))
        with pytest.raises(ConfigError, match=re.escape(needle)) as info:
            load(path)
        assert "\n" not in str(info.value)


def test_two_functions_never_share_records(tmp_path):
    body = """
        def energy(x, k):
            return k * x[:, 0] ** 2 / 2 + x[:, 1] ** 2 / 2
        spring = from_function(energy, dof=1, params={{"k": {k}}})
    """
    a = user_file(tmp_path, body.format(k=1.0), "a.py")
    b = user_file(tmp_path, body.format(k=2.0), "b.py")
    name_a, name_b = systems.get(f"{a}:spring").name, systems.get(f"{b}:spring").name
    assert name_a.rsplit("@", 1)[1] != name_b.rsplit("@", 1)[1]
    spec = sweeps.sweep_points(tiny_sweep(system=f"{a}:spring"))[0][2][0]
    other = sweeps.sweep_points(tiny_sweep(system=f"{b}:spring"))[0][2][0]
    assert spec.system == name_a and record_path("r", spec) != record_path("r", other)
    # editing the file renames the system; the former name no longer loads
    a.write_text(a.read_text() + "\n# edited\n")
    assert systems.get(f"{a}:spring").name != name_a
    one_line_error(lambda: systems.get(name_a), "has changed since")


# --- one-line errors for a bad user function ---------------------------------------------------

X = np.array([[-1.0, 0.5], [0.5, 0.0], [1.5, -1.0], [0.0, 1.0]])


def test_energy_summed_to_a_scalar():
    system = systems.from_function(lambda x: (x**2).sum(), dof=1, name="s")
    one_line_error(lambda: system.hamiltonian(X), "<lambda>' of system 's'",
                   "returned a scalar for 4 states", "shape (4,)", "do not sum")
    one_line_error(lambda: system.gradient(X), "returned a scalar for 4 states")


def test_energy_of_shape_2n():
    def flat(x):
        return (x**2).reshape(-1)

    system = systems.from_function(flat, dof=1)
    one_line_error(lambda: system.hamiltonian(X), "energy function 'test_energy_of_shape_2n.",
                   "returned shape (8,) for 4 states", "shape (4,)")


def test_energy_not_finite_on_the_domain():
    def logq(x):
        return torch.log(x[:, 0]) + x[:, 1] ** 2 / 2

    system = systems.from_function(logq, dof=1, name="log")
    text = one_line_error(lambda: system.hamiltonian(X), "'test_energy_not_finite_on_the_domain"
                          ".<locals>.logq'", "not finite at 2 of 4 states")
    assert "(first at x = [-1, 0.5])" in text
    one_line_error(lambda: make_dataset(system, Domain.of([(-1, 1)], [(-1, 1)]), 200, 10, 0),
                   "not finite at 1 of 1 state (first")  # the anchor x0 = 0: log(0)
    one_line_error(lambda: system.gradient(X[1:3] * [[0, 1]]), "not finite at 2 of 2 states")


def test_numpy_energy_without_gradient():
    def numpy_energy(x):
        return np.sum(np.asarray(x) ** 2, axis=1) / 2

    one_line_error(lambda: systems.from_function(numpy_energy, dof=1, backend="numpy"),
                   "'test_numpy_energy_without_gradient.<locals>.numpy_energy'", "no grad=",
                   "give grad(x)", "torch")
    # undeclared: the torch call fails; the message says what is needed (no AttributeError)
    system = systems.from_function(numpy_energy, dof=1, name="np")
    for method in (system.gradient, system.vector_field):
        one_line_error(lambda m=method: m(X), "'test_numpy_energy_without_gradient.<locals>."
                       "numpy_energy'", "system 'np'", "torch", "grad=")
    # a numpy energy that returns an array on a tensor: no autograd possible, said so
    returns_numpy = systems.from_function(lambda x: x.detach().numpy()[:, 0] ** 2, dof=1)
    one_line_error(lambda: returns_numpy.gradient(X), "not a torch tensor", "grad=")
    # declared with its gradient, it works
    grad = systems.from_function(numpy_energy, dof=1, grad=lambda x: np.asarray(x),
                                 backend="numpy")
    np.testing.assert_allclose(grad.vector_field(X), np.stack([X[:, 1], -X[:, 0]], 1))


@pytest.mark.parametrize("bad, shape", [(lambda x: x[:, 0], "(4,)"),
                                        (lambda x: np.ones((4, 3)), "(4, 3)"),
                                        (lambda x: x.T, "(2, 4)")])
def test_gradient_of_the_wrong_shape(bad, shape):
    system = systems.from_function(lambda x: (x**2).sum(1), dof=1, grad=bad, name="g")
    one_line_error(lambda: system.gradient(X), "gradient function '<lambda>'", "system 'g'",
                   f"returned shape {shape} for 4 states", "shape (4, 2)")


def test_failing_energy_and_parameters():
    system = systems.from_function(lambda x: x[:, 3] ** 2, dof=1, name="f")  # dof 2 indexing
    one_line_error(lambda: system.hamiltonian(X), "failed on x of shape (4, 2)", "IndexError")
    one_line_error(lambda: systems.from_function(lambda x: x[:, 0], dof=1, params={"k": 1.0}),
                   "cannot be called as f(x, k)")
    one_line_error(lambda: systems.from_function(lambda x, k: x[:, 0] * k, dof=1,
                                                 params={"k": "a"}), "k='a'")
    one_line_error(lambda: systems.from_function(lambda x: x[:, 0], dof=1, backend="jax"),
                   "backend")


@pytest.mark.parametrize("reference, needle", [
    ("examples/none.py:duffing", "file 'examples/none.py' does not exist"),
    ("examples/duffing.py:nope", "has no variable 'nope' (systems there: duffing, duffing_numpy)"),
    ("examples/duffing.py:energy", "'energy' is a function, not a system"),
    ("examples/duffing.py:np", "'np' is a module, not a system made with"),
    ("examples/duffing.py:duffing@000000000000", "has changed since"),
    ("examples/duffing.py:", "is not FILE.py:NAME"),
])
def test_bad_references(at_root, reference, needle):
    one_line_error(lambda: systems.get(reference), needle)


def test_file_that_fails_to_load(tmp_path):
    path = user_file(tmp_path, "raise RuntimeError('boom')\n")
    one_line_error(lambda: systems.get(f"{path}:x"), "loading failed: RuntimeError: boom")


def test_reference_to_a_number_names_its_type(tmp_path):
    path = user_file(tmp_path, "width = 3\n")
    one_line_error(lambda: systems.get(f"{path}:width"), "'width' is an int, not a system")


# --- built-in systems: names, record paths and settings unchanged -----------------------------

BUILTIN_PATHS = {
    "sp-f10": "system~single_pendulum/f~10/domain~freq/train~300/test~1000/width~200/"
              "method~elm/seeds~3943-992472.json",
    "lv-five": "system~lotka_volterra/alpha~3.5/beta~0.025/delta~0.07/gamma~10/domain~shifted/"
               "train~1000/test~1000/width~50/method~elm/seeds~3943-992472.json",
    "dp": "system~double_pendulum/domain~dp/train~1000/test~1000/width~50/method~elm/"
          "seeds~3943-992472.json",
    "hh": "system~henon_heiles/alpha~0/domain~hh/train~1000/test~1000/width~100/method~elm/"
          "seeds~3943-992472.json",
}


@pytest.mark.parametrize("sweep_id", list(BUILTIN_PATHS))
def test_builtin_record_paths_unchanged(sweep_id):
    sweep = load(ROOT / "config" / "smoke.yaml")["sweeps"][sweep_id]
    spec = sweeps.sweep_points(sweep)[0][2][0]
    assert spec.system == sweep["system"]  # the plain built-in name, no hash
    assert record_path("runs", spec).as_posix() == "runs/" + BUILTIN_PATHS[sweep_id]


# --- fit inputs: H, H0, x0 ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return make_dataset(systems.get("single_pendulum"), Domain.of([(-3, 3)], [(-1, 1)]),
                        60, 20, seed=0)


def test_fit_rejects_a_function_for_H(data):
    for method in ("swim", "aswim"):
        one_line_error(lambda m=method: SampledHNN(10, m, seed=0).fit(
            data.x_train, data.xdot_train, data.x0, data.H0, H=systems.get(
                "single_pendulum").hamiltonian), "H must be the true H values at x",
            "(60,)", "not a function")
    one_line_error(lambda: SampledHNN(10, "aswim", seed=0).fit(
        data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train[:5]),
        "H must have shape (60,), got (5,)")


def test_fit_accepts_H0_as_number_numpy_scalar_or_size_1_array(data):
    ref = SampledHNN(10, "elm", seed=0).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    h0 = systems.get("single_pendulum").hamiltonian(data.x0)  # (1,)
    for value in (h0, h0[0], h0.reshape(1, 1), float(h0[0]), 0):
        model = SampledHNN(10, "elm", seed=0).fit(data.x_train, data.xdot_train, data.x0, value)
        np.testing.assert_array_equal(model.coef_, ref.coef_)
        assert model.bias_ == ref.bias_
    for value, needle in [(np.zeros(2), "array of shape (2,)"), ("1.0", "got str '1.0'"),
                          (None, "got NoneType"), (True, "H0 must be a number"),
                          (np.array([np.nan]), "finite"), (lambda x: 0.0, "function")]:
        one_line_error(lambda v=value: SampledHNN(10, "elm", seed=0).fit(
            data.x_train, data.xdot_train, data.x0, v), "H0", needle)


@pytest.mark.parametrize("x0, shape", [(np.zeros((2, 2)), "(2, 2)"), (np.zeros(3), "(3,)"),
                                       (np.zeros((1, 4)), "(1, 4)"), (np.zeros((2, 1)), "(2, 1)"),
                                       ([[0.0, 0.0], [0.0]], "ragged list")])
def test_x0_errors_report_the_shape_passed(data, x0, shape):
    one_line_error(lambda: SampledHNN(10, "elm", seed=0).fit(
        data.x_train, data.xdot_train, x0, 0.0), "x0 must be one state of shape (1, 2) or (2,)",
        shape)


# --- the names docs/own-system.md uses after a plain `import shnn` ------------------------------

def test_integrators_after_plain_import_shnn():
    code = ("import shnn, numpy as np\n"
            "s = shnn.systems.get('harmonic_oscillator')\n"
            "t = shnn.integrators.symplectic_euler(s.gradient, np.array([1.0, 0.0]), 0.1, 3)\n"
            "print(t.shape, callable(shnn.integrators.reference_trajectory))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(3, 2) True"
