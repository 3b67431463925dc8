"""What ``codehone hone`` prints at the end: the serve command and editor settings to paste.

The server is ``codehone serve --model BASE --adapter NAME=RUN/export/adapter.gguf --default-model
NAME`` (serve/cli.py): the base model plus the tuned adapter served as model ``NAME``, which also
answers requests that name no model. That decides each editor's setup:

* Continue sends a model name: an ``openai`` provider at ``/v1`` with ``model: NAME``, and the
  model's own FIM template as the autocomplete prompt (Continue picks a template from the model
  name, and ``NAME`` is the repository's, so it is spelled out).
* llama.vscode's default route is llama.cpp's ``/infill``, which sends no model name: with
  ``--default-model NAME`` it gets the tuned model, so its endpoint setting is all it needs.
* Ollama reads the Modelfile export wrote (base + ADAPTER + a FIM-aware template).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from codehone.core.fim import FimTemplate

PORT = 8012  # llama.vscode's default completion endpoint port


def adapter_name(source: str | Path) -> str:
    """A model name for the adapter: the repository folder's name, in characters every client accepts."""
    name = Path(str(source).rstrip("/")).name
    name = re.sub(r"\.(tar(\.(gz|bz2|xz))?|tgz|tbz2|txz|zip)$", "", name, flags=re.IGNORECASE)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower()
    return name or "tuned"


def serve_command(model: str, name: str, adapter_gguf: str | Path, port: int = PORT) -> str:
    return (f"codehone serve --model {shlex.quote(model)} --adapter {shlex.quote(f'{name}={adapter_gguf}')} "
            f"--default-model {shlex.quote(name)} --port {port}")


def editor_configs(*, model: str, name: str, adapter_gguf: str | Path, modelfile: str | Path | None,
                   fim: FimTemplate | None, port: int = PORT) -> dict[str, str]:
    """Copy-paste text per editor/runtime: {title: text}."""
    base_url = f"http://127.0.0.1:{port}"
    template = fim.psm("{{{prefix}}}", "{{{suffix}}}") if fim else None
    out: dict[str, str] = {}
    # llama.vscode's /infill sends no model name; the served default (--default-model) is the tuned one.
    out["llama.vscode (settings.json)"] = f'"llama-vscode.endpoint": "{base_url}"'
    lines = ["name: codehone", "version: 0.0.1", "schema: v1", "models:",
             f"  - name: {name} (codehone)", "    provider: openai", f"    model: {name}",
             f"    apiBase: {base_url}/v1", "    apiKey: none", "    roles:", "      - autocomplete"]
    if template:
        lines += ["    promptTemplates:", f"      autocomplete: {json.dumps(template)}"]
    out["Continue (~/.continue/config.yaml)"] = "\n".join(lines)
    if modelfile:
        out["Ollama"] = (f"ollama create {name} -f {shlex.quote(str(modelfile))}\n"
                         f"ollama run {name}")
    return out


def render_text(serve: str, configs: dict[str, str]) -> str:
    """The end-of-run text: the serve command, then each editor's settings."""
    parts = ["Serve the tuned model (OpenAI-compatible /v1 and llama.cpp /infill):", "", f"  {serve}", ""]
    for title, text in configs.items():
        parts += [f"{title}:", "", *[f"  {line}" for line in text.splitlines()], ""]
    return "\n".join(parts)
