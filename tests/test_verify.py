"""``shnn verify``: every stored record of a preset checked, nothing computed, and the printed
commands recompute exactly what is invalid or missing."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml

from shnn import cli
from shnn.pipeline import fitting, sweeps
from shnn.pipeline.records import RECORD_VERSION, record_path
from shnn.pipeline.store import baseline_log_path, shard_log_path

ROOT = Path(__file__).resolve().parents[1]


def _preset(tmp_path: Path, write_preset, store: bool = False) -> Path:
    """A tiny preset: one sweep (widths 8 and 12, elm and swim, one repeat), one Adam baseline
    of 20 steps; with ``store``, a store_dir (committed logs) instead of per-fit files."""
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    sweep = {**config["sweeps"]["sp-small"], "train_size": 60, "test_size": 40,
             "vary": {"width": [8, 12]}, "repeats": 1, "methods": ["elm", "swim"]}
    config.update(sweeps={"sp-small": sweep},
                  hnn={"sp-small": {"width": 8, "steps": 20, "lr": 1e-3, "batch_size": 32,
                                    "weight_decay": 1e-13}},
                  results_dir=str(tmp_path / "results"), figures_dir=str(tmp_path / "figures"),
                  runs_dir=str(tmp_path / "runs"))
    if store:
        config["store_dir"] = str(tmp_path / "store")
    return write_preset(config)


def _verify(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    """``(exit status, report lines, recompute commands)`` of ``shnn verify``."""
    code = cli.main(["verify", *args])
    lines = capsys.readouterr().out.splitlines()
    commands = [line.strip() for line in lines if line.startswith("  shnn ")]
    return code, [line for line in lines if not line.startswith("  shnn ")], commands


def _no_fit(*args, **kwargs):
    raise AssertionError("verify computed a fit")


def _run(commands: list[str]) -> None:
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "shnn"
        assert cli.main(words[1:]) == 0, command


def test_verify_per_fit_files(tmp_path, write_preset, capsys, monkeypatch):
    path = _preset(tmp_path, write_preset)
    config = yaml.safe_load(path.read_text())
    code, report, commands = _verify(capsys, "--config", str(path))
    assert code == 0 and report[-2].endswith("0 valid, 5 missing, 0 invalid "
                                             f"(per-fit records under {tmp_path / 'runs'})")
    assert len(commands) == 3 and "--value 8" in commands[0] and "--case sp-small" in commands[2]
    _run(commands)
    assert (tmp_path / "results" / "sweeps" / "sp-small" / "value~8.csv").exists()
    code, report, commands = _verify(capsys, "--config", str(path))
    assert code == 0 and commands == [] and report[-1].endswith("5 valid, 0 missing, 0 invalid "
                                                                f"(per-fit records under "
                                                                f"{tmp_path / 'runs'})")

    specs = sweeps.sweep_points(config["sweeps"]["sp-small"], [12])[0][2]
    broken = record_path(tmp_path / "runs", specs[1])
    broken.write_bytes(b"\x89PNG\r\n\x1a\n")
    base = record_path(tmp_path / "runs", sweeps.baseline_spec(config, "sp-small"))
    base.write_text(json.dumps({**json.loads(base.read_text()), "loss_history": {}}))
    with monkeypatch.context() as patch:
        patch.setattr(fitting, "run_fit", _no_fit)
        code, report, commands = _verify(capsys, "--config", str(path))
    assert code == 1
    assert f"{broken}: not UTF-8 text (byte 0x89 at offset 0)" in report
    assert f"{base}: loss_history is a JSON object, not a list of numbers" in report
    assert report[-2].endswith("3 valid, 0 missing, 2 invalid "
                               f"(per-fit records under {tmp_path / 'runs'})")
    assert len(commands) == 2 and "--value 12" in commands[0] and "--case sp-small" in commands[1]
    _run(commands)
    assert _verify(capsys, "--config", str(path))[0] == 0


def test_verify_committed_logs(tmp_path, write_preset, capsys, monkeypatch):
    path = _preset(tmp_path, write_preset, store=True)
    config = yaml.safe_load(path.read_text())
    _run(_verify(capsys, "--config", str(path))[2])
    assert not (tmp_path / "runs").exists()  # the store holds every record
    code, report, _ = _verify(capsys, "--config", str(path))
    assert code == 0 and report[-1].endswith(f"5 valid, 0 missing, 0 invalid (committed logs "
                                             f"under {tmp_path / 'store'})")

    shard = shard_log_path(config["store_dir"], "sp-small", "8")
    first, second = shard.read_text().splitlines()
    stale = json.loads(first)
    stale["settings"]["record_version"] = RECORD_VERSION - 1
    shard.write_text("\n".join([json.dumps({**json.loads(first), "fit_seconds": None}),
                                second, "not json", json.dumps(stale)]) + "\n")
    baseline = baseline_log_path(config["store_dir"], "sp-small")
    with baseline.open("a") as fh:
        fh.write('{"settings": {"rec')  # a torn last line; the valid line before it counts
    with monkeypatch.context() as patch:
        patch.setattr(fitting, "run_fit", _no_fit)
        code, report, commands = _verify(capsys, "--config", str(path))
    assert code == 1
    assert f"{shard}:1: fit_seconds is None, not a finite number" in report
    delete = " (names no fit of this preset: delete the line)"
    assert any(line.startswith(f"{shard}:3: not valid JSON") and line.endswith(delete)
               for line in report)
    assert f"{baseline}:2: incomplete last line (a write cut short){delete}" in report
    assert (f"note: {shard}: 1 line(s) of another record version (history, never reused)"
            in report)
    assert report[-2].endswith("4 valid, 0 missing, 3 invalid "
                               f"(committed logs under {tmp_path / 'store'})")
    assert len(commands) == 1 and "--sweep sp-small --value 8 --csv" in commands[0]
    _run(commands)  # appends a valid line of the fit: the invalid line 1 is superseded
    code, report, commands = _verify(capsys, "--config", str(path))
    assert code == 1 and commands == [] and len([r for r in report if r.endswith(delete)]) == 2
    assert report[-1].endswith(f"5 valid, 0 missing, 2 invalid (committed logs under "
                               f"{tmp_path / 'store'})")
    lines = shard.read_text().splitlines()
    shard.write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    baseline.write_text(baseline.read_text().splitlines(keepends=True)[0])
    assert _verify(capsys, "--config", str(path))[0] == 0


def test_verify_runs_dir_option_and_bad_config(tmp_path, write_preset, capsys):
    path = _preset(tmp_path, write_preset)
    other = tmp_path / "elsewhere"
    code, report, commands = _verify(capsys, "--config", str(path), "--runs-dir", str(other))
    assert code == 0 and report[-2].endswith(f"(per-fit records under {other})")
    assert all(f"--runs-dir {other} " in c for c in commands)
    assert cli.main(["verify", "--config", str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and len(err.strip().splitlines()) == 1


def _seconds(path: Path) -> float:
    header, row = path.read_text().splitlines()[:2]
    return float(dict(zip(header.split("\t"), row.split("\t")))["s"])


def test_benchmark_times_survive_a_rerun_that_only_reloads(tmp_path, write_preset):
    """A compute job's benchmark file holds its fits' seconds as measured when computed: a
    rerun that reloads every record writes the same time, not its own few seconds."""
    path = _preset(tmp_path, write_preset)
    config = yaml.safe_load(path.read_text())
    bench = tmp_path / "bench.tsv"
    args = ["sweep", "--config", str(path), "--sweep", "sp-small", "--value", "12",
            "--runs-dir", str(tmp_path / "runs"), "--csv", str(tmp_path / "s.csv"),
            "--benchmark", str(bench)]
    assert cli.main(args) == 0
    specs = sweeps.sweep_points(config["sweeps"]["sp-small"], [12])[0][2]
    records = [json.loads(record_path(tmp_path / "runs", s).read_text()) for s in specs]
    measured = sum(r["wall_seconds"] for r in records)
    assert _seconds(bench) == pytest.approx(measured, abs=1e-4)
    for record, spec in zip(records, specs):  # pretend each fit took a minute to compute
        record["wall_seconds"] = 60.0
        record_path(tmp_path / "runs", spec).write_text(json.dumps(record))
    assert cli.main(args) == 0  # nothing to compute: every record is reloaded
    assert _seconds(bench) == pytest.approx(60.0 * len(specs), abs=1e-4)

    base = ["baseline", "--config", str(path), "--case", "sp-small", "--runs-dir",
            str(tmp_path / "runs"), "--csv", str(tmp_path / "b.csv"), "--benchmark", str(bench)]
    assert cli.main(base) == 0
    trained = _seconds(bench)
    assert cli.main(base) == 0 and _seconds(bench) == trained  # training seconds, reloaded


def _filled_store(tmp_path: Path, write_preset, capsys) -> Path:
    """The tiny preset with every sweep fit and its Adam baseline in its store."""
    path = _preset(tmp_path, write_preset, store=True)
    _, _, commands = _verify(capsys, "--config", str(path))
    _run(commands)
    capsys.readouterr()
    return path


def test_recompute_draws_stored_fits_and_finds_them_bitwise(tmp_path, write_preset, capsys):
    path = _filled_store(tmp_path, write_preset, capsys)
    code = cli.main(["verify", "--config", str(path), "--recompute", "3", "--seed", "4",
                     "--baseline", "sp-small"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "3 of 5 stored fits drawn (seed 4)" in out
    assert out.count("| bitwise") == 3 and "3 recomputed in" in out and "0 differ" in out


def test_recompute_finds_a_tampered_record(tmp_path, write_preset, capsys):
    path = _filled_store(tmp_path, write_preset, capsys)
    config = yaml.safe_load(path.read_text())
    log = shard_log_path(config["store_dir"], "sp-small", "12")
    first, *rest = log.read_text().splitlines()
    record = json.loads(first)
    record["test_rel_l2_H"] *= 1.001
    log.write_text("\n".join([json.dumps(record), *rest]) + "\n")
    code = cli.main(["verify", "--config", str(path), "--recompute", "4"])
    out = capsys.readouterr().out
    assert code == 1 and out.count("| DIFFERS") == 1 and "1 differ" in out
    assert "sp-small width=12 r0 elm" in next(line for line in out.splitlines()
                                              if line.endswith("DIFFERS"))


def test_the_draw_is_fixed_by_its_seed_and_spread_over_groups(tmp_path, write_preset, capsys):
    from shnn.pipeline import recompute
    from shnn.pipeline.config import load

    path = _filled_store(tmp_path, write_preset, capsys)
    config = load(path)
    fits = recompute.stored_fits(config, config["runs_dir"])
    assert len(fits) == 4 and {f.group for f in fits} == {"sp-small elm", "sp-small swim"}
    draws = {seed: [f.name for f in recompute.draw(fits, 2, seed)] for seed in range(6)}
    assert draws[3] == [f.name for f in recompute.draw(fits, 2, 3)]
    assert len(set(map(tuple, draws.values()))) > 1
    assert all(sorted(name.split()[-1] for name in names) == ["elm", "swim"]
               for names in draws.values())


def test_recompute_stops_cleanly_at_its_budget(tmp_path, write_preset, capsys, monkeypatch):
    path = _filled_store(tmp_path, write_preset, capsys)
    monkeypatch.setattr(fitting, "run_fit", _no_fit)
    code = cli.main(["verify", "--config", str(path), "--recompute", "2", "--budget", "1e-9"])
    out = capsys.readouterr().out
    assert code == 0 and "budget of 1e-09 min reached" in out and "0 of 2 recomputed" in out


def test_recompute_rejects_an_unknown_baseline(tmp_path, write_preset, capsys):
    path = _preset(tmp_path, write_preset, store=True)
    assert cli.main(["verify", "--config", str(path), "--recompute", "1",
                     "--baseline", "nope"]) == 2
    assert "unknown Adam baseline 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("args, needle", [
    (["--recompute", "1", "--seed", "-1"], "argument --seed: must be >= 0, got -1"),
    (["--recompute", "0"], "argument --recompute: must be >= 1, got 0"),
    (["--budget", "5"], "--budget: only with --recompute N"),
    (["--seed", "3", "--baseline", "sp-small"], "--seed, --baseline: only with --recompute N"),
    (["--recompute", "2"], "no stored fit to recompute")])
def test_recompute_rejects_bad_input(tmp_path, write_preset, capsys, args, needle):
    path = _preset(tmp_path, write_preset, store=True)
    try:
        code = cli.main(["verify", "--config", str(path), *args])
    except SystemExit as exc:  # rejected while parsing the arguments
        code = exc.code
    assert code == 2 and needle in capsys.readouterr().err
