"""Pipeline presets: load a YAML preset and validate it against ``schema.yaml`` beside it.

The schema check is jsonschema's, as in ``snakemake.utils.validate``, which is not used here
for two reasons: presets are loaded outside Snakemake too (the ``shnn`` CLI, the notebooks,
the paper runner ``shnn.pipeline.timebox``), and it reports only the first violation, over several
lines (message, failing schema, instance). :func:`validate` names every offending key on one
line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml


class ConfigError(ValueError):
    """A preset file that is missing, malformed or violates the schema."""


def validate(config: Any, schema: dict[str, Any], source: str) -> None:
    """Raise :class:`ConfigError` naming every offending key (one line) if ``config``
    violates ``schema``."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path])
    if errors:
        problems = ["at " + ("/".join(str(p) for p in err.path) or "(top level)") + ": "
                    + err.message.replace("\n", " ") for err in errors]
        more = f" ({len(errors)} errors)" if len(errors) > 1 else ""
        raise ConfigError(f"{source}: invalid config{more} " + "; ".join(problems))


def load(path: str | Path) -> dict[str, Any]:
    """Load a preset and validate it against ``schema.yaml`` in the same folder."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    try:
        config = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    schema = yaml.safe_load((path.parent / "schema.yaml").read_text())
    validate(config, schema, str(path))
    for sweep_id, sweep in config["sweeps"].items():
        _check_sweep(sweep_id, sweep, str(path))
        _check_continuation(config, sweep_id, str(path))
    for case, hnn in config["hnn"].items():
        if case not in config["sweeps"]:
            raise ConfigError(f"{path}: hnn case {case!r} names no sweep; "
                              f"choose from {', '.join(config['sweeps'])}")
        widths = sweep_widths(config["sweeps"][case])
        if hnn["width"] not in widths:
            raise ConfigError(f"{path}: hnn/{case}/width {hnn['width']} is not a width of "
                              f"sweep {case!r} ({widths}); Tables 1 and 2 compare the HNN "
                              "with the sampled fits of that width")
    for section in ("energy", "error_correction"):
        _check_system_domain(section, config[section], str(path))
    if config["error_correction"]["steps"] and any(
            h < config["error_correction"]["dt_true"] for h in config["error_correction"]["steps"]):
        raise ConfigError(f"{path}: error_correction/steps must all be >= dt_true")
    return config


def continuations(config: dict[str, Any], sweep_id: str) -> list[str]:
    """The sweeps of ``config`` that continue ``sweep_id`` (``continues: <sweep_id>``: more
    values of it, same settings otherwise), in the preset's order."""
    return [other for other, sweep in config["sweeps"].items()
            if sweep.get("continues") == sweep_id]


def _check_continuation(config: dict[str, Any], sweep_id: str, source: str) -> None:
    """A continuing sweep names another, plain sweep of the preset, has its settings and
    swept quantity, and only new values."""
    sweep = config["sweeps"][sweep_id]
    parent_id = sweep.get("continues")
    if parent_id is None:
        return
    where = f"{source}: sweep {sweep_id!r}: continues {parent_id!r}"
    parent = config["sweeps"].get(parent_id)
    if parent is None or "continues" in parent:
        raise ConfigError(f"{where}, which is not a sweep of this preset that continues none "
                          f"(choose from {', '.join(continuable(config))})")
    differ = sorted(k for k in {*sweep, *parent} - {"vary", "continues"}
                    if sweep.get(k) != parent.get(k))
    if differ or set(sweep["vary"]) != set(parent["vary"]):
        raise ConfigError(f"{where} but differs in {', '.join(differ) or 'the swept quantity'}"
                          "; a continuation only adds values")
    key = next(iter(sweep["vary"]))
    shared = sorted(set(sweep["vary"][key]) & set(parent["vary"][key]))
    if shared:
        raise ConfigError(f"{where} but repeats its {key} value(s) {shared}")


def continuable(config: dict[str, Any]) -> list[str]:
    """The sweeps another may continue: those that continue none."""
    return [s for s, sweep in config["sweeps"].items() if "continues" not in sweep]


def sweep_widths(sweep: dict[str, Any]) -> list[int]:
    """The hidden widths a sweep fits: its ``vary`` widths, or its fixed ``width``."""
    if "width" in sweep["vary"]:
        return [int(w) for w in sweep["vary"]["width"]]
    return [int(sweep["width"])] if "width" in sweep else []


def _check_system_domain(where: str, section: dict[str, Any], source: str) -> None:
    from shnn import systems
    from shnn.data import Domain

    try:
        if systems.is_reference(section["system"]):
            # fig08/fig09 store their results by the system's name alone: built-in only.
            raise ValueError(f"system {section['system']!r}: a system of your own goes in a "
                             "sweep; this section takes a built-in system")
        system = systems.get(section["system"], **section.get("params", {}))
        Domain.of(section["q_lims"], section["p_lims"]).check_system(system)
    except ValueError as exc:
        raise ConfigError(f"{source}: {where}: {exc}") from None


def _check_sweep(sweep_id: str, sweep: dict[str, Any], source: str) -> None:
    """Semantic checks the schema cannot express (domain order, dof match, system params)."""
    from shnn import systems
    from shnn.data import Domain, check_anchor

    try:
        system = systems.get(sweep["system"], **sweep.get("params", {}))
        domain = Domain.of(sweep["q_lims"], sweep["p_lims"])
        domain.check_system(system)
        if "x0" in sweep:
            check_anchor(sweep["x0"], system)
        vary = sweep["vary"]
        key = next(iter(vary))
        if key not in ("width", "train_size") and key not in systems.parameters(sweep["system"]):
            raise ValueError(f"cannot vary {key!r}: not width, train_size or a parameter "
                             f"of {sweep['system']!r}")
        for fixed in ("width", "train_size"):
            if key != fixed and fixed not in sweep:
                raise ValueError(f"{fixed!r} is missing: it is needed when the sweep varies "
                                 f"{key!r}")
    except ValueError as exc:
        raise ConfigError(f"{source}: sweep {sweep_id!r}: {exc}") from None
