"""Distillation end to end on tiny models: a second random Qwen2 (other seed, wider) teaches the
tiny student through the shared tiny tokenizer. Token-level: the teacher cache is built once and
reused, KL to the teacher falls, on-policy rows run, resume is exact. Sequence-level: teacher
answers are cached and filtered, then the ordinary trainer runs on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from codehone.train import TrainError
from codehone.train.distill import cache as C, kl as K, loss as L
from codehone.train.distill.config import build_configs
from codehone.train.distill.run import distill

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "configs" / "tiny" / "lora.yaml"


def cfgs(*overrides: str):
    return build_configs(TINY, ["progress=false", "bench=false", *overrides])


def log(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "train_log.jsonl").read_text().splitlines()]


@pytest.fixture(scope="session")
def tiny_teacher_dir(tmp_path_factory, tiny_tokenizer) -> Path:
    """Another random Qwen2 (seed 1, hidden 96, 3 layers) with the same tokenizer."""
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(1)
    cfg = Qwen2Config(vocab_size=len(tiny_tokenizer), hidden_size=96, intermediate_size=192, num_hidden_layers=3,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                      tie_word_embeddings=True, rms_norm_eps=1e-6)
    model = Qwen2ForCausalLM(cfg)
    with torch.no_grad():
        model.model.embed_tokens.weight.mul_(30)
    out = tmp_path_factory.mktemp("tiny-teacher")
    model.save_pretrained(out)
    tiny_tokenizer.save_pretrained(out)
    return out


@pytest.fixture
def count_teacher(monkeypatch):
    """Counts teacher loads and forward passes (the expensive part the cache saves)."""
    calls = {"loads": 0, "forwards": 0}
    real = L.load_teacher

    def counting(*a, **k):
        calls["loads"] += 1
        model = real(*a, **k)
        fwd = model.forward

        def forward(*fa, **fk):
            calls["forwards"] += 1
            return fwd(*fa, **fk)

        model.forward = forward
        return model

    monkeypatch.setattr(L, "load_teacher", counting)
    return calls


def _train_examples(run: Path, model_dir: Path, seq_len: int = 256):
    from transformers import AutoTokenizer

    from codehone.train import dataset

    enc = dataset.Encoder(AutoTokenizer.from_pretrained(str(model_dir)))
    return enc.examples(dataset.read_split(run, "train", ["fim", "lm", "instruct"]), seq_len)[0]


def test_token_distill_caches_the_teacher_and_lowers_kl(run_dir, tiny_model_dir, tiny_teacher_dir, count_teacher):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    cfg, dcfg = cfgs("epochs=3", "lr=2e-2", "top_k=8", "temperature=2.0", "kl=forward")
    summary = distill(run_dir, str(tiny_teacher_dir), str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None)
    assert count_teacher["loads"] == 1 and count_teacher["forwards"] > 0
    cache_dirs = list((run_dir / "teacher").glob("topk-*"))
    assert len(cache_dirs) == 1 and list(cache_dirs[0].glob("shard-*.npz")) and (cache_dirs[0] / "meta.json").exists()
    assert (run_dir / "adapter" / "adapter_model.safetensors").exists()
    rows = log(run_dir)
    assert all("kl" in r for r in rows) and summary["distill"]["mode"] == "token"
    assert "distill" in json.loads((run_dir / "manifest.json").read_text())["stages"]

    # KL to the teacher on the training examples: base student vs distilled student.
    examples = _train_examples(run_dir, tiny_model_dir)
    key = {"teacher": C.teacher_identity(str(tiny_teacher_dir), tiny_teacher_dir), "top_k": 8, "temperature": 2.0,
           "shard_size": dcfg.shard_size}
    cache = C.TeacherCache(run_dir / "teacher", key, examples)
    assert cache.dir == cache_dirs[0]  # the same key and examples find the training run's cache
    cache.load(dcfg.shard_size)
    base = AutoModelForCausalLM.from_pretrained(str(tiny_model_dir)).eval()
    before = K.mean_kl(base, examples, cache, "forward", 2.0)
    tuned = PeftModel.from_pretrained(base, str(run_dir / "adapter")).eval()
    after = K.mean_kl(tuned, examples, cache, "forward", 2.0)
    assert after < 0.8 * before, (before, after)

    # A rerun (another lr, --force) and more epochs reuse the cache: the teacher never loads.
    count_teacher.update(loads=0, forwards=0)
    cfg2, dcfg2 = cfgs("max_steps=2", "top_k=8", "temperature=2.0", "lr=1e-3")
    distill(run_dir, str(tiny_teacher_dir), str(tiny_model_dir), run_dir, cfg2, dcfg2, force=True, echo=lambda s: None)
    assert count_teacher == {"loads": 0, "forwards": 0}
    # Another k is another cache.
    cfg3, dcfg3 = cfgs("max_steps=1", "top_k=4", "temperature=2.0")
    distill(run_dir, str(tiny_teacher_dir), str(tiny_model_dir), run_dir, cfg3, dcfg3, force=True, echo=lambda s: None)
    assert count_teacher["loads"] == 1 and len(list((run_dir / "teacher").glob("topk-*"))) == 2


def test_reverse_kl_with_ce_and_on_policy_rows(run_dir, tiny_model_dir, tiny_teacher_dir, count_teacher):
    cfg, dcfg = cfgs("max_steps=3", "grad_accum=6", "kl=reverse", "alpha=0.5", "lmbda=1.0", "gen_max_tokens=8", "top_k=5")
    distill(run_dir, str(tiny_teacher_dir), str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None)
    rows = log(run_dir)
    assert len(rows) == 3 and all({"kl", "ce", "on_policy_examples"} <= set(r) for r in rows)
    assert sum(r["on_policy_examples"] for r in rows) > 0  # instruct / PSM infill examples were resampled
    assert all(torch.isfinite(torch.tensor(r["loss"])) for r in rows)
    # on-policy rows query the teacher live: one load, forwards beyond the cache pass
    assert count_teacher["loads"] == 1


def test_mismatched_tokenizers_are_refused(tmp_path, run_dir, tiny_model_dir, tiny_teacher_dir):
    from tests.conftest import build_tiny_tokenizer

    other = tmp_path / "other-teacher"
    shutil.copytree(tiny_teacher_dir, other)
    build_tiny_tokenizer(vocab_size=300).save_pretrained(other)
    cfg, dcfg = cfgs("max_steps=1")
    with pytest.raises(TrainError, match="share a tokenizer.*--mode sequence"):
        distill(run_dir, str(other), str(tiny_model_dir), tmp_path / "out", cfg, dcfg, echo=lambda s: None)
    assert not (tmp_path / "out").exists()


SETTINGS = ("epochs=2", "save_every=3", "eval_every=4", "top_k=6", "lmbda=0.5", "gen_max_tokens=6", "alpha=0.2")


def test_resume_of_a_distill_run_matches_the_uninterrupted_run(tmp_path, data_run, run_dir, tiny_model_dir,
                                                              tiny_teacher_dir, monkeypatch):
    cfg, dcfg = cfgs(*SETTINGS)
    distill(run_dir, str(tiny_teacher_dir), str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None)
    full = log(run_dir)
    assert len(full) > 7

    killed = tmp_path / "killed"
    shutil.copytree(data_run, killed)
    real = L.TokenDistillLoss.row_loss

    def interrupt_at_step_7(self, model, batch, device, *, step, row):
        if step == 7:
            raise KeyboardInterrupt  # what Ctrl-C does mid-step
        return real(self, model, batch, device, step=step, row=row)

    monkeypatch.setattr(L.TokenDistillLoss, "row_loss", interrupt_at_step_7)
    with pytest.raises(TrainError, match="interrupted at step 7"):
        distill(killed, str(tiny_teacher_dir), str(tiny_model_dir), killed, cfg, dcfg, echo=lambda s: None)
    monkeypatch.setattr(L.TokenDistillLoss, "row_loss", real)
    state = json.loads((killed / "checkpoints" / "step-7" / "state.json").read_text())
    assert state["loss_state"]["teacher_cache"] and state["loss_state"]["cached_examples"] > 0
    _, other = cfgs(*SETTINGS[:-1], "alpha=0.3")
    with pytest.raises(TrainError, match="another loss"):
        distill(killed, str(tiny_teacher_dir), str(tiny_model_dir), killed, cfg, other, resume=True, echo=lambda s: None)
    distill(killed, str(tiny_teacher_dir), str(tiny_model_dir), killed, cfg, dcfg, resume=True, echo=lambda s: None)
    resumed = log(killed)
    assert [r["step"] for r in resumed] == [r["step"] for r in full]
    for a, b in zip(full, resumed):
        assert abs(a["loss"] - b["loss"]) <= 1e-3, (a, b)
        assert abs(a.get("val_loss", 0) - b.get("val_loss", 0)) <= 1e-3


class FakeTeacher:
    """A sequence-level teacher: answers chat with a parsing function, infill with a line that
    does not parse every other time; counts its calls."""

    calls = 0

    def __init__(self, ref):
        self.ref = ref

    def generate(self, request, params):
        from codehone.backends.base import Completion, Result

        FakeTeacher.calls += 1
        if request.mode == "chat":
            text = "Here it is:\n```python\ndef answer(x):\n    return x * 2\n```"
        else:
            text = "    return value +\n" if FakeTeacher.calls % 2 else "    pass\n"
        return Result([Completion(text, "stop", 5)], prompt_tokens=1)

    def close(self):
        pass


def _add_instruct_rows(run: Path) -> None:
    """Two instruction rows with tests: the fake teacher's answer passes the first, fails the second."""
    from codehone.runs import append_jsonl

    for want in (6, 7):
        append_jsonl(run / "data" / "train.jsonl", {
            "kind": "instruct", "language": "python", "path": "ledger/answer.py", "test": f"assert answer(3) == {want}\n",
            "messages": [{"role": "user", "content": f"Write answer(x) returning {want} for 3."},
                         {"role": "assistant", "content": f"```python\ndef answer(x):\n    return {want}\n```"}]})


def test_sequence_distill_caches_filters_and_trains(run_dir, tiny_model_dir):
    FakeTeacher.calls = 0
    _add_instruct_rows(run_dir)
    cfg, dcfg = cfgs("max_steps=2", "mode=sequence")
    summary = distill(run_dir, "fake-teacher", str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None,
                      backend_factory=FakeTeacher)
    stats = summary["distill"]
    asked = FakeTeacher.calls
    assert asked > 0 and stats["asked"] == asked and stats["kept"] > 0
    assert any(k.startswith("rejected: does not parse") for k in stats)  # "return value +" is refused
    assert stats["rejected: tests failed"] == 1  # answer(3) == 7 fails in the sandbox; == 6 passes
    seq = run_dir / "teacher" / "sequence-data"
    rows = [json.loads(line) for line in (seq / "data" / "train.jsonl").read_text().splitlines()]
    taught = [r for r in rows if r.get("teacher")]
    assert taught and all("return value +" not in r.get("text", "") for r in taught)
    assert any(r["kind"] == "instruct" and "def answer" in r["messages"][-1]["content"] for r in taught)
    assert (seq / "data" / "valid.jsonl").read_text() == (run_dir / "data" / "valid.jsonl").read_text()
    assert (run_dir / "adapter" / "adapter_model.safetensors").exists() and len(log(run_dir)) == 2
    assert len((run_dir / "teacher" / "sequence.jsonl").read_text().splitlines()) == asked

    # The rerun asks the teacher nothing.
    FakeTeacher.calls = 0
    summary = distill(run_dir, "fake-teacher", str(tiny_model_dir), run_dir, cfg, dcfg, force=True,
                      echo=lambda s: None, backend_factory=FakeTeacher)
    assert FakeTeacher.calls == 0 and summary["distill"]["cached"] == asked
    # fallback=drop: refused answers take their rows with them
    cfg, dcfg = cfgs("max_steps=1", "fallback=drop", "mode=sequence")
    distill(run_dir, "fake-teacher", str(tiny_model_dir), run_dir, cfg, dcfg, force=True, echo=lambda s: None,
            backend_factory=FakeTeacher)
    dropped = [json.loads(line) for line in (seq / "data" / "train.jsonl").read_text().splitlines()]
    assert len(dropped) == len(rows) - sum(v for k, v in stats.items() if k.startswith("rejected"))


def test_cli_distills(run_dir, tiny_model_dir, tiny_teacher_dir):
    import typer
    from typer.testing import CliRunner

    from codehone.train.distill.cli import distill_command

    app = typer.Typer()
    app.command("distill")(distill_command)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["distill", "--teacher", str(tiny_teacher_dir), "--student", str(tiny_model_dir),
                                   "--data", str(run_dir), "--config", str(TINY), "max_steps=2", "bench=false",
                                   "kl=reverse", "temperature=1.5", "-q"])
    assert res.exit_code == 0, res.output
    assert "adapter:" in res.output and "token-level" in res.output and len(log(run_dir)) == 2
    res = CliRunner().invoke(app, ["distill", "--data", str(run_dir), "--teacher", str(tiny_teacher_dir),
                                   "--student", str(tiny_model_dir), "lmbda_=0.5"])
    assert isinstance(res.exception, TrainError) and "lmbda" in str(res.exception)
