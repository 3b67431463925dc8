"""An Ollama Modelfile beside the exported GGUF, so `ollama create NAME -f Modelfile` just works."""

from __future__ import annotations

from pathlib import Path

# Ollama's own ChatML template (the format of Qwen2.5 models); other families rely on Ollama
# reading tokenizer.chat_template from the GGUF, which it does for known templates.
_CHATML = '''{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
'''


def write_modelfile(out_dir: str | Path, model_file: str | Path, adapter_file: str | Path | None,
                    vocab: set[str] | dict, stop_tokens: list[str]) -> Path:
    out_dir = Path(out_dir)
    lines = [f"# Written by codehone export. Create the model with: ollama create NAME -f {out_dir / 'Modelfile'}",
             f"FROM {Path(model_file).resolve()}"]
    if adapter_file:
        lines.append(f"ADAPTER {Path(adapter_file).resolve()}")
    if "<|im_start|>" in vocab:
        lines.append(f'TEMPLATE """{_CHATML}"""')
    for t in stop_tokens:
        lines.append(f'PARAMETER stop "{t}"')
    lines.append("PARAMETER temperature 0.2")
    path = out_dir / "Modelfile"
    path.write_text("\n".join(lines) + "\n")
    return path
