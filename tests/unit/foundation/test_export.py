"""Export on the tiny model: GGUF LoRA and merged GGUF agree with transformers + PEFT."""

import json

import pytest


@pytest.fixture(scope="module")
def trained_adapter(tmp_path_factory, tiny_model_dir):
    """A LoRA adapter with non-trivial weights (init_lora_weights=False), saved as a run directory."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    run = tmp_path_factory.mktemp("run")
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    cfg = LoraConfig(r=8, lora_alpha=16, init_lora_weights=False,
                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(base, cfg)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.mul_(5)  # make the adapter change greedy choices, so agreement is a real test
    model.save_pretrained(run / "adapter")
    (run / "manifest.json").write_text(json.dumps({"stages": {"train": {"inputs": {"base": str(tiny_model_dir)}}}}))
    return run


def test_gguf_lora_over_the_base_matches_transformers(trained_adapter, tiny_gguf):
    from codehone.export.step import run_export

    r = run_export(trained_adapter, "gguf-lora", base=str(tiny_gguf), verify=True)
    assert r["verify"]["top1_agreement"] >= 0.99, r["verify"]
    assert r["verify"]["mean_abs_logprob_diff"] < 0.05  # f16 KV cache in llama.cpp; a wrong mapping gives > 1
    modelfile = (trained_adapter / "export" / "Modelfile").read_text()
    assert "ADAPTER" in modelfile and 'PARAMETER stop "<|im_end|>"' in modelfile


def test_adapter_changes_the_output_and_the_base_alone_disagrees(trained_adapter, tiny_gguf, tiny_model_dir):
    """Guard against a vacuous pass: without the adapter, llama.cpp must disagree with base+adapter."""
    from codehone.export.verify import verify_export

    v = verify_export(tiny_model_dir, trained_adapter / "adapter", tiny_gguf, None)
    assert v["top1_agreement"] < 0.9


def test_merged_export_writes_f16_and_quantized_with_fim_metadata(trained_adapter, tmp_path):
    import json

    from codehone.export.step import run_export
    from codehone.models.gguf_info import read_gguf

    r = run_export(trained_adapter, "gguf-merged", quant="q8_0", out=tmp_path / "merged", verify=True)
    # Both precisions are checked; the f16 merge must be faithful. (q8_0 of a 64-wide random model
    # moves its logits a lot; real models are measured in docs/benchmarks.md.)
    checked = r["verify_by_precision"]
    assert set(checked) == {"f16", "q8_0"}
    assert checked["f16"]["top1_agreement"] >= 0.99, checked
    assert r["verify"] == checked["q8_0"]  # the headline figure is the file users ship
    assert json.loads((tmp_path / "merged" / "verify.json").read_text())["f16"]["positions"] > 0
    info = read_gguf(r["model"])
    assert info.file_type == "Q8_0"
    assert info.metadata["tokenizer.ggml.fim_pre_token_id"] == info.tokens.index("<|fim_prefix|>")
    assert "tokenizer.chat_template" in info.metadata


def test_adapter_for_another_base_is_refused(tmp_path, tiny_gguf):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from codehone.backends.base import GenerationError
    from codehone.export.step import run_export

    other = Qwen2ForCausalLM(Qwen2Config(vocab_size=700, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                         num_attention_heads=2, num_key_value_heads=1))
    get_peft_model(other, LoraConfig(r=4, target_modules=["q_proj"])).save_pretrained(tmp_path / "adapter")
    with pytest.raises(GenerationError, match="made for another base model"):
        run_export(tmp_path, "gguf-lora", base=str(tiny_gguf))


def test_bench_scores_f16_and_quantized_merges(trained_adapter, tmp_path):
    """--bench runs the real eval harness on both files (the tiny model scores 0; the path is what is tested)."""
    import json

    from codehone.export.step import run_export

    out = tmp_path / "merged"
    r = run_export(trained_adapter, "gguf-merged", quant="q8_0", out=out, bench=["humaneval"], bench_limit=2)
    row = r["bench"]["benchmarks"]["humaneval"]
    assert row["f16"]["tasks"] == row["q8_0"]["tasks"] == 2
    assert row["difference_points"] == round(100 * (row["q8_0"]["pass@1"] - row["f16"]["pass@1"]), 2)
    assert json.loads((out / "bench.json").read_text()) == r["bench"]
    for precision in ("f16", "q8_0"):
        run = out / "bench" / f"humaneval-{precision}"
        assert len((run / "samples.jsonl").read_text().splitlines()) == 2
        assert len((run / "results.jsonl").read_text().splitlines()) == 2


def test_bench_needs_a_merged_quantized_export(trained_adapter, tiny_gguf):
    from codehone.errors import UserError
    from codehone.export.bench import parse_benches
    from codehone.export.step import run_export

    with pytest.raises(UserError, match="gguf-merged"):
        run_export(trained_adapter, "gguf-lora", base=str(tiny_gguf), bench=["humaneval"])
    with pytest.raises(UserError, match="Did you mean 'humaneval'"):
        parse_benches("humaneva")


def test_requantizing_a_quantized_base_is_warned_about():
    from codehone.export.step import requantize_warning

    warning = requantize_warning("Q4_K_M", "q4_k_m")
    assert warning and "--to gguf-lora" in warning and "--quant q8_0" in warning
    assert requantize_warning("Q4_K_M", "q5_k_m")  # finer than the base, still far coarser than an update
    assert requantize_warning("Q4_K_M", "q8_0") is None and requantize_warning("F16", "q4_k_m") is None


def test_a_merge_over_an_f16_gguf_base_has_no_warning(trained_adapter, tiny_gguf, tmp_path):
    from codehone.export.step import run_export
    from codehone.models.gguf_info import read_gguf

    assert read_gguf(tiny_gguf, with_tokens=False).file_type in ("F16", "F32", "BF16")
    r = run_export(trained_adapter, "gguf-merged", base=str(tiny_gguf), quant="q8_0", out=tmp_path / "m")
    assert "warnings" not in r and r["files"]["q8_0"]


def _template_branches(modelfile: str) -> tuple[str, str]:
    """The TEMPLATE's two branches: (with a suffix: FIM, without: chat/completion)."""
    template = modelfile.split('TEMPLATE """', 1)[1].split('"""', 1)[0]
    assert template.startswith("{{- if .Suffix }}"), template
    fim, _, rest = template.removeprefix("{{- if .Suffix }}").partition("{{- else }}")
    other, _, tail = rest.rpartition("{{ end }}")
    assert not tail and "{{- end }}" not in template  # a trim would eat the chat prompt's last newline
    return fim, other


@pytest.mark.parametrize("vocab,chatml", [
    ({"<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>",
      "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"}, True),  # qwen2.5-coder
    ({"<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<|endoftext|>"}, False),  # starcoder: a base model
    ({"▁<PRE>", "▁<SUF>", "▁<MID>", "▁<EOT>", "</s>"}, False),  # codellama
])
def test_modelfile_template_does_fim_with_a_suffix_and_chat_without(tmp_path, vocab, chatml):
    """issue 16, defect 11: Ollama passes /api/generate's suffix as .Suffix; the template must lay
    out the model's own FIM prompt then, and chat (or plain completion) otherwise."""
    from codehone.core.fim import detect_fim
    from codehone.export.modelfile import write_modelfile

    fim = detect_fim(vocab)
    text = write_modelfile(tmp_path, tmp_path / "m.gguf", None, vocab, ["<|im_end|>"] if chatml else []).read_text()
    infill, other = _template_branches(text)
    assert infill.replace("{{ .Prompt }}", "PRE").replace("{{ .Suffix }}", "SUF") == fim.psm("PRE", "SUF")
    if chatml:
        assert "{{- range .Messages }}<|im_start|>{{ .Role }}" in other and other.endswith("<|im_start|>assistant\n")
    else:
        assert other == "{{ .Prompt }}"
    stops = [line.split('"')[1] for line in text.splitlines() if line.startswith("PARAMETER stop")]
    assert set(fim.stop_tokens) <= set(stops) and len(stops) == len(set(stops))  # a middle ends on any sentinel


def test_modelfile_of_a_model_without_fim_keeps_chat_only(tmp_path):
    from codehone.export.modelfile import write_modelfile

    text = write_modelfile(tmp_path, tmp_path / "m.gguf", None, {"<|im_start|>", "<|im_end|>"}, ["<|im_end|>"]).read_text()
    assert ".Suffix" not in text and "<|im_start|>assistant" in text


def _interrupted_run(tmp_path, base="qwen2.5-coder-0.5b-instruct"):
    """A training run stopped at step 3: checkpoints, no published adapter/."""
    run = tmp_path / "run"
    for name in ("step-2", "step-3", "best"):
        a = run / "checkpoints" / name / ("adapter" if name != "best" else "")
        a.mkdir(parents=True)
        (a / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": str(tmp_path / "converted" / "model")}))
    (run / "manifest.json").write_text(json.dumps({"stages": {"train": {"inputs": {"base": base}}}}))
    (run / "train_state.json").write_text(json.dumps({"status": "interrupted", "step": 3, "total_steps": 10}))
    return run


def test_export_of_an_interrupted_run_says_what_is_there_and_what_to_do(tmp_path):
    """issue 16, defect 8: not 'holds no PEFT adapter ... give a training run directory'."""
    from codehone.errors import UserError
    from codehone.export.step import find_adapter

    run = _interrupted_run(tmp_path)
    with pytest.raises(UserError) as e:
        find_adapter(run)
    msg = str(e.value)
    assert "interrupted at step 3 of 10" in msg and "give a training run directory" not in msg
    assert str(run / "checkpoints" / "step-3" / "adapter") in msg and str(run / "checkpoints" / "best") in msg
    assert "--resume" in msg
    assert find_adapter(run / "checkpoints" / "step-3" / "adapter") == run / "checkpoints" / "step-3" / "adapter"


def test_a_checkpoint_exports_over_the_runs_own_base(tmp_path):
    """issue 16, defect 8: the base is the run's --base (its manifest), never the converted HF folder
    that PEFT wrote into the checkpoint's adapter_config.json; without a record, --base is asked for."""
    from codehone.errors import UserError
    from codehone.export.step import base_from_run, run_export

    run = _interrupted_run(tmp_path, base="my-base.gguf")
    assert base_from_run(run / "checkpoints" / "step-3" / "adapter") == "my-base.gguf"
    assert base_from_run(run / "checkpoints" / "best") == "my-base.gguf"
    (run / "manifest.json").unlink()
    with pytest.raises(UserError, match="--base"):
        run_export(run / "checkpoints" / "step-3" / "adapter", "gguf-lora")
