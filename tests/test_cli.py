"""Command line: records, listing, and one-line errors with exit status 2 on bad input."""

import json
import subprocess
import sys

import pytest

from shnn.cli import main

BASE = ["fit", "--system", "single_pendulum", "--q-lims", "-2pi,2pi", "--p-lims", "-1,1",
        "--width", "40", "--train-size", "200", "--test-size", "100"]


def run(args):
    return subprocess.run([sys.executable, "-m", "shnn.cli", *args], capture_output=True,
                          text=True)


def test_fit_json_record(capsys):
    assert main([*BASE, "--method", "aswim", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    s = record["settings"]
    assert s["method"] == "aswim" and s["width"] == 40 and s["train_size"] == 200
    assert s["data_seed"] == 3943 and s["model_seed"] == 992472 and s["rcond"] == 1e-13
    assert s["elm_bias"] == pytest.approx([-6.283185307179586, 6.283185307179586], abs=0)
    for key in ("fit_seconds", "train_rel_l2_H", "test_rel_l2_H", "train_rel_l2_xdot",
                "test_rel_l2_xdot"):
        assert record[key] >= 0
    assert record["test_rel_l2_H"] < 0.2  # measured 4.2e-2 (width 40, 200 points)


def test_fit_two_dof_and_human_output(capsys):
    args = ["fit", "--system", "henon_heiles", "--param", "alpha=0.5", "--q-lims", "-5,5",
            "-5,5", "--p-lims", "-5,5", "-5,5", "--method", "elm", "--width", "30",
            "--train-size", "100", "--test-size", "50"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "henon_heiles" in out and "'alpha': 0.5" in out and "rel L2 H" in out


def test_systems_listing(capsys):
    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    for name in ("single_pendulum", "lotka_volterra", "double_pendulum", "henon_heiles",
                 "harmonic_oscillator", "five-centered"):
        assert name in out


@pytest.mark.parametrize("args, needle", [
    (["--system", "nope"], "'nope'"),
    (["--method", "foo"], "'foo'"),
    (["--param", "x=3"], "'x'"),
    (["--param", "f=abc"], "'abc'"),
    (["--q-lims", "1,-1"], "'1,-1'"),
    (["--q-lims", "1,1"], "'1,1'"),
    (["--q-lims", "-1,nan"], "'nan'"),
    (["--q-lims", "-1,inf"], "'inf'"),
    (["--p-lims", "-1"], "'-1'"),
    (["--q-lims", "-1,1", "--q-lims", "-1,1"], "2 q"),
    (["--width", "0"], "0"),
    (["--width", "abc"], "'abc'"),
    (["--train-size", "0"], "0"),
    (["--test-size", "-5"], "-5"),
    (["--steps", "0", "--method", "hnn"], "0"),
    (["--train-size", "2", "--method", "swim"], "2"),
    (["--rcond", "-1"], "'-1'"),
    (["--elm-bias", "3,1"], "'3,1'"),
])
def test_bad_input_one_line_exit_2(args, needle):
    defaults = ["--system", "single_pendulum", "--q-lims", "-1,1", "--p-lims", "-1,1",
                "--method", "elm", "--width", "10", "--train-size", "50", "--test-size", "20"]
    overridden = set(args[::2])
    argv = ["fit"]
    for opt, value in zip(defaults[::2], defaults[1::2]):
        if opt not in overridden:
            argv += [opt, value]
    result = run(argv + args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and needle in lines[0]
    assert result.stdout == ""


HNN = [*BASE, "--method", "hnn", "--steps", "120", "--batch-size", "64", "--json"]


def test_fit_hnn_checkpoint_resumes_to_the_same_record(tmp_path, capsys):
    assert main(HNN) == 0
    plain = json.loads(capsys.readouterr().out)
    ckpt = tmp_path / "c.pt"
    assert main([*HNN, "--checkpoint", str(ckpt), "--checkpoint-every", "40"]) == 0
    checkpointed = json.loads(capsys.readouterr().out)
    assert not ckpt.exists()  # a finished run removes its checkpoint
    for key in ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot"):
        assert checkpointed[key] == plain[key]


def test_fit_bad_checkpoint_is_a_one_line_error(tmp_path):
    ckpt = tmp_path / "c.pt"
    ckpt.write_bytes(b"\xff\x00 not a checkpoint")
    result = run([*HNN, "--checkpoint", str(ckpt)])
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(ckpt) in result.stderr
    result = run([*BASE, "--method", "elm", "--checkpoint", str(ckpt)])
    assert result.returncode == 2 and "--checkpoint" in result.stderr


def test_hnn_settings_hold_only_what_applies(capsys):
    assert main([*HNN, "--weight-decay", "0"]) == 0
    record = json.loads(capsys.readouterr().out)
    s = record["settings"]
    assert s["rcond"] == 0.0 and s["elm_bias"] == [] and s["solver"] == ""
    assert s["weight_decay"] == 0.0 and s["steps"] == 120


def test_hnn_text_output_has_the_final_loss(capsys):
    assert main([a for a in HNN if a != "--json"]) == 0
    assert "final loss" in capsys.readouterr().out


@pytest.mark.parametrize("args, needle", [
    (["--param", "preset=foo", "--method", "elm"], "--param preset: unknown Lotka-Volterra"),
    (["--method", "hnn", "--weight-decay", "-1"], "--weight-decay"),
])
def test_more_one_line_errors(args, needle):
    base = ["fit", "--system", "lotka_volterra", "--q-lims", "-2,2", "--p-lims", "-2,2",
            "--width", "10", "--train-size", "50", "--test-size", "20"]
    result = run([*base, *args])
    assert result.returncode == 2 and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_python_dash_m_shnn_is_the_shnn_command():
    result = subprocess.run([sys.executable, "-m", "shnn", "systems"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "single_pendulum" in result.stdout
