"""Preset files: the three presets validate; typos and bad values name the key."""

import shutil
from pathlib import Path

import pytest
import yaml

from shnn.pipeline.config import ConfigError, load

CONFIG = Path(__file__).resolve().parents[1] / "config"


@pytest.mark.parametrize("preset", ["smoke", "default", "paper"])
def test_presets_validate(preset):
    cfg = load(CONFIG / f"{preset}.yaml")
    assert cfg["preset"] == preset
    assert {"sp-small", "sp-large"} <= set(cfg["sweeps"])


def test_paper_preset_has_paper_settings():
    sweep = load(CONFIG / "paper.yaml")["sweeps"]["sp-small"]
    assert sweep["vary"]["width"] == list(range(100, 2001, 100))
    assert sweep["repeats"] == 10 and sweep["train_size"] == sweep["test_size"] == 10000
    assert (sweep["data_seed"], sweep["model_seed"], sweep["rcond"]) == (3943, 992472, 1e-13)


def test_smoke_never_writes_figures():
    assert load(CONFIG / "smoke.yaml")["figures_dir"] != "figures"


def _write(tmp_path, mutate):
    shutil.copy(CONFIG / "schema.yaml", tmp_path / "schema.yaml")
    cfg = yaml.safe_load((CONFIG / "smoke.yaml").read_text())
    mutate(cfg)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return path


@pytest.mark.parametrize("mutate, needle", [
    (lambda c: c.update(widht=3), "'widht'"),
    (lambda c: c["sweeps"]["sp-small"].update(repeat=3), "'repeat'"),
    (lambda c: c["sweeps"]["sp-small"].update(repeats=0), "repeats"),
    (lambda c: c["sweeps"]["sp-small"].update(methods=["elm", "bogus"]), "'bogus'"),
    (lambda c: c["sweeps"]["sp-small"].update(system="nope"), "'nope'"),
    (lambda c: c["sweeps"]["sp-small"].update(q_lims=[[1.0, -1.0]]), "inverted"),
    (lambda c: c["sweeps"]["sp-small"].update(q_lims=[[0, 1], [0, 1]], p_lims=[[0, 1], [0, 1]]),
     "has 1 degree of freedom"),
    (lambda c: c["sweeps"]["sp-small"].update(vary={"colour": [1]}), "'colour'"),
    (lambda c: c["sweeps"]["sp-small"].update(params={"q": 1.0}), "'q'"),
    (lambda c: c["sweeps"]["hh"].pop("width"), "'width' is missing"),
    (lambda c: c["sweeps"]["hh"].pop("train_size"), "'train_size' is missing"),
    (lambda c: c["hnn"]["hh"].update(width=7), "hnn/hh/width 7 is not a width of sweep 'hh'"),
    (lambda c: c["hnn"]["dp"].update(width=75), "hnn/dp/width 75"),
])
def test_bad_config_names_the_key(tmp_path, mutate, needle):
    with pytest.raises(ConfigError, match=needle) as info:
        load(_write(tmp_path, mutate))
    assert "\n" not in str(info.value)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "none.yaml")
    shutil.copy(CONFIG / "schema.yaml", tmp_path / "schema.yaml")
    (tmp_path / "broken.yaml").write_text("preset: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load(tmp_path / "broken.yaml")


def test_every_schema_error_is_reported_in_one_line(tmp_path):
    config = yaml.safe_load((CONFIG / "smoke.yaml").read_text())
    config["threads"] = "many"
    config["sweeps"]["sp-small"]["repeats"] = 0
    shutil.copy(CONFIG / "schema.yaml", tmp_path)
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError) as err:
        load(tmp_path / "bad.yaml")
    message = str(err.value)
    assert "\n" not in message and "(2 errors)" in message
    assert "at threads:" in message and "at sweeps/sp-small/repeats:" in message
