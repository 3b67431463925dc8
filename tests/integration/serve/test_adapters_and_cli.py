"""Adapters served as models, and the command itself started as a process."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.integration.serve.conftest import free_port, running_server, wait_until_healthy


@pytest.fixture(scope="module")
def gguf_adapter(tmp_path_factory, tiny_model_dir):
    """A GGUF LoRA for the tiny model whose weights are large enough to change greedy choices."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from codehone.export.gguf_lora import write_gguf_lora

    torch.manual_seed(1)
    out = tmp_path_factory.mktemp("adapter")
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                           LoraConfig(r=8, lora_alpha=16, init_lora_weights=False,
                                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "up_proj", "down_proj"]))
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.mul_(5)
    model.save_pretrained(out / "peft")
    return write_gguf_lora(out / "peft", out / "tuned.gguf")


def test_adapters_are_models_picked_by_name(tiny_gguf, gguf_adapter):
    with running_server(str(tiny_gguf), adapters={"tuned": str(gguf_adapter)}) as (url, _app):
        ids = [m["id"] for m in httpx.get(f"{url}/v1/models").json()["data"]]
        assert ids == ["tiny-qwen2-f32", "tuned"]

        def complete(model):
            r = httpx.post(f"{url}/v1/completions", json={"model": model, "prompt": "for i in range(10):\n",
                                                          "max_tokens": 12, "temperature": 0}, timeout=30)
            assert r.status_code == 200, r.text
            return r.json()["choices"][0]["text"]

        base, tuned = complete("tiny-qwen2-f32"), complete("tuned")
        assert base != tuned  # the adapter is applied, and only to its own name
        assert complete(None) == base
        err = httpx.post(f"{url}/v1/completions", json={"model": "other", "prompt": "x"}).json()["error"]
        assert "tiny-qwen2-f32" in err["message"] and "tuned" in err["message"]


def test_parse_adapters_refuses_bad_specs():
    import typer

    from codehone.serve.cli import parse_adapters

    assert parse_adapters(["a=/x.gguf", "b = /y.gguf"]) == {"a": "/x.gguf", "b": "/y.gguf"}
    for bad in (["noequals"], ["=x"], ["a="], ["a=1", "a=2"]):
        with pytest.raises(typer.BadParameter):
            parse_adapters(bad)


SCRIPT = ("import typer, sys; from codehone.serve.cli import serve_command; app = typer.Typer(); "
          "app.command('serve')(serve_command); app.command('noop')(lambda: None); app(sys.argv[1:])")


def test_the_command_serves_until_stopped(tiny_gguf):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, "serve", "--model", str(tiny_gguf), "--port", str(port),
                             "--ctx", "512", "--max-queue", "2", "--api-key", "k1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_healthy(proc, port)
        r = httpx.post(f"http://127.0.0.1:{port}/infill", json={"input_prefix": "def f(", "n_predict": 3},
                       headers={"Authorization": "Bearer k1"})
        assert r.status_code == 200 and r.json()["generation_settings"]["n_ctx"] == 512
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    # A graceful shutdown, and status 0: uvicorn re-raises SIGTERM after it stops, which the command absorbs.
    assert proc.returncode == 0, out
    assert "Traceback" not in out, out
    assert "serving tiny-qwen2-f32 on http://127.0.0.1:" in out


def test_the_command_help_and_a_bad_model():
    r = subprocess.run([sys.executable, "-c", SCRIPT, "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--max-queue" in r.stdout and "--adapter" in r.stdout
    r = subprocess.run([sys.executable, "-c", SCRIPT, "serve", "--model", "no-such-model.gguf", "--port",
                        str(free_port())], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0


def test_default_model_must_be_served_and_is_checked_before_loading():
    import typer

    from codehone.serve.cli import load_models

    with pytest.raises(typer.BadParameter, match="neither the model nor an --adapter name"):
        load_models("no-such-model.gguf", {"tuned": "/nowhere.gguf"}, default="other")
