"""Training settings: every shipped preset loads with known keys; overrides are typed; typos name
the close matches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codehone.train import TrainError
from codehone.train.config import FIELDS, TrainConfig, build_config, config_diff, parse_overrides

CONFIGS = Path(__file__).resolve().parents[3] / "configs"
PRESETS = sorted(p for p in CONFIGS.rglob("*.yaml") if p.parent.name != "accelerate")
ACCELERATE = sorted((CONFIGS / "accelerate").glob("*.yaml"))


def test_presets_exist_for_each_model_size():
    names = {p.parent.name for p in PRESETS}
    assert {"qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "tiny"} <= names


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_preset_loads_with_known_keys(preset):
    raw = yaml.safe_load(preset.read_text())
    assert set(raw) <= set(FIELDS), set(raw) - set(FIELDS)
    cfg = build_config(preset)
    for key, value in raw.items():  # the preset's values reached the config, typed
        got = getattr(cfg, key)
        assert got == value or float(got) == float(value), key


@pytest.mark.parametrize("path", ACCELERATE, ids=lambda p: p.name)
def test_accelerate_configs_are_valid_for_accelerate(path):
    from accelerate.commands.config.config_args import load_config_from_file

    cfg = load_config_from_file(str(path))  # unknown top-level keys raise TypeError here
    assert cfg.num_processes >= 2
    kind = str(cfg.distributed_type)
    if "FSDP" in kind:
        # FSDP2 shards each parameter: frozen bf16 and fp32 LoRA in one module (FSDP1 refuses the mix)
        assert cfg.fsdp_config["fsdp_version"] == 2
    if "DEEPSPEED" in kind:
        assert cfg.deepspeed_config["zero_stage"] in (2, 3)


def test_overrides_are_typed_and_win_over_the_preset():
    cfg = build_config(CONFIGS / "tiny" / "lora.yaml", ["lr=3e-4", "dora=true", "lora_r=8", "epochs=2",
                                                        "target_modules=q_proj,v_proj"])
    assert cfg.lr == 3e-4 and cfg.dora is True and cfg.lora_r == 8 and cfg.epochs == 2.0
    assert cfg.target_modules == "q_proj,v_proj"


def test_unknown_key_names_close_matches(tmp_path):
    with pytest.raises(TrainError, match="did you mean lora_r"):
        build_config(None, ["lora_rank=8"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("learning_rate: 1e-4\n")
    with pytest.raises(TrainError, match=r"'learning_rate' in .*bad\.yaml; did you mean lr"):
        build_config(bad)


@pytest.mark.parametrize("item, message", [
    ("lora_r=many", "lora_r .* must be int"),
    ("lora_r=0", "lora_r must be >= 1"),
    ("dtype=fp8", "dtype must be"),
    ("kinds=fim,chat", "kinds must be"),
    ("novalue", "not key=value"),
])
def test_bad_values_are_one_line_errors(item, message):
    with pytest.raises(TrainError, match=message):
        build_config(None, [item])


def test_parse_overrides_reads_yaml_scalars():
    assert parse_overrides(["a=1", "b=1.5", "c=true", "d=x,y"]) == {"a": 1, "b": 1.5, "c": True, "d": "x,y"}


def test_config_diff_ignores_settings_that_do_not_change_the_computation():
    old = TrainConfig().to_dict()
    assert config_diff(old, TrainConfig(save_every=7, log_every=3, progress=False)) == []
    assert config_diff(old, TrainConfig(lr=1.0)) == ["lr"]
