"""An Ollama Modelfile beside the exported GGUF, so `ollama create NAME -f Modelfile` just works.

The template serves both of Ollama's uses of a code model. /api/generate with a ``suffix`` (what
editor plugins send for fill-in-the-middle) reaches the template as ``.Suffix``; then it lays out
the model's own FIM prompt, with the sentinels detected from the vocabulary (core/fim.py), the
way Ollama's own qwen2.5-coder and codellama:code templates do:

    {{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>
    {{- else }}...chat...{{ end }}

Without a suffix it is chat: ChatML for models that speak it (Qwen2.5, SmolLM2), else Ollama's
default for code models, ``{{ .Prompt }}`` verbatim. A model without FIM tokens gets chat only,
and a non-ChatML model without FIM no template (Ollama reads tokenizer.chat_template from the
GGUF for the templates it knows).
"""

from __future__ import annotations

from pathlib import Path

from codehone.core.fim import detect_fim

# Ollama's own ChatML template (the format of Qwen2.5 models).
_CHATML = '''{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
'''


def template_for(vocab: set[str] | dict) -> str | None:
    """The Modelfile TEMPLATE for a vocabulary (see the module doc), or None to leave it to Ollama."""
    chat = _CHATML if "<|im_start|>" in vocab else None
    fim = detect_fim(vocab)
    if fim is None:
        return chat
    infill = fim.psm("{{ .Prompt }}", "{{ .Suffix }}")  # CodeLlama's "<PRE> " spacing included
    # "{{ end }}", not "{{- end }}": a trim would eat the newline after "<|im_start|>assistant".
    return f"{{{{- if .Suffix }}}}{infill}{{{{- else }}}}{chat or '{{ .Prompt }}'}{{{{ end }}}}"


def write_modelfile(out_dir: str | Path, model_file: str | Path, adapter_file: str | Path | None,
                    vocab: set[str] | dict, stop_tokens: list[str]) -> Path:
    out_dir = Path(out_dir)
    lines = [f"# Written by codehone export. Create the model with: ollama create NAME -f {out_dir / 'Modelfile'}",
             f"FROM {Path(model_file).resolve()}"]
    if adapter_file:
        lines.append(f"ADAPTER {Path(adapter_file).resolve()}")
    template = template_for(vocab)
    if template:
        lines.append(f'TEMPLATE """{template}"""')
    fim = detect_fim(vocab)
    # A middle ends on the FIM end token or any sentinel (a model that opens a new file is done).
    for t in dict.fromkeys([*stop_tokens, *(fim.stop_tokens if fim else ())]):
        lines.append(f'PARAMETER stop "{t}"')
    lines.append("PARAMETER temperature 0.2")
    path = out_dir / "Modelfile"
    path.write_text("\n".join(lines) + "\n")
    return path
