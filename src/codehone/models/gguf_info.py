"""Reading a GGUF file's metadata and checking that the file is whole.

``gguf.GGUFReader`` builds a Python object for every one of the 151,936 tokens and 151,387 merges of
a Qwen vocabulary, which takes about 8 s; we only need the scalar metadata, the token strings and
the tensor table, so this reader walks the header once with ``struct`` (about 0.3 s) using the type
constants of the ``gguf`` package. It also answers the two questions a loader must ask before
handing the file to llama.cpp: is it GGUF at all, and is it complete (every tensor's data inside
the file)? A truncated download otherwise surfaces as an opaque load failure.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

from codehone.errors import UserError
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFValueType, LlamaFileType

GGUF_MAGIC = b"GGUF"

_SCALAR = {
    GGUFValueType.UINT8: "B", GGUFValueType.INT8: "b", GGUFValueType.UINT16: "H", GGUFValueType.INT16: "h",
    GGUFValueType.UINT32: "I", GGUFValueType.INT32: "i", GGUFValueType.FLOAT32: "f", GGUFValueType.BOOL: "?",
    GGUFValueType.UINT64: "Q", GGUFValueType.INT64: "q", GGUFValueType.FLOAT64: "d",
}


class GgufError(UserError, ValueError):
    """The file is not a usable GGUF; the message says what is wrong and what to do."""


@dataclass
class GgufInfo:
    path: Path
    size: int
    version: int
    metadata: dict = field(default_factory=dict)  # scalars and short arrays; long arrays summarised
    tokens: list[str] = field(default_factory=list)
    token_types: list[int] = field(default_factory=list)  # 1 normal, 3 control, 4 user-defined, ...
    tensors: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, type, offset, n_bytes
    data_start: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "?"))

    @property
    def context_length(self) -> int | None:
        return self.metadata.get(f"{self.architecture}.context_length")

    @property
    def file_type(self) -> str:
        ft = self.metadata.get("general.file_type")
        if ft is None:
            return "?"
        try:
            return LlamaFileType(ft).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            return str(ft)

    @property
    def n_params(self) -> int:
        total = 0
        for _name, ttype, _off, nbytes in self.tensors:
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ttype)]
            total += nbytes // type_size * block
        return total

    @property
    def is_lora(self) -> bool:
        return self.metadata.get("general.type") == "adapter"


class _Cursor:
    def __init__(self, buf, path: Path):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, fmt: str):
        try:
            (v,) = struct.unpack_from("<" + fmt, self.buf, self.pos)
        except struct.error:
            raise GgufError(f"{self.path} is truncated inside its header; the download is incomplete, fetch it again") from None
        self.pos += struct.calcsize("<" + fmt)
        return v

    def string(self) -> str:
        n = self.take("Q")
        if self.pos + n > len(self.buf):
            raise GgufError(f"{self.path} is truncated inside its header; the download is incomplete, fetch it again")
        s = bytes(self.buf[self.pos: self.pos + n]).decode("utf-8", "replace")
        self.pos += n
        return s

    def value(self, vtype: int, keep_strings: bool):
        vtype = GGUFValueType(vtype)
        if vtype == GGUFValueType.STRING:
            return self.string()
        if vtype == GGUFValueType.ARRAY:
            etype, n = GGUFValueType(self.take("I")), self.take("Q")
            if etype == GGUFValueType.STRING:
                if keep_strings:
                    return [self.string() for _ in range(n)]
                for _ in range(n):
                    n_bytes = self.take("Q")
                    self.pos += n_bytes
                return f"<{n} strings>"
            if etype == GGUFValueType.ARRAY:
                return [self.value(etype, keep_strings) for _ in range(n)]
            fmt = _SCALAR[etype]
            width = struct.calcsize(fmt)
            if n <= 16:
                return [self.take(fmt) for _ in range(n)]
            self.pos += width * n
            return f"<{n} values>"
        return self.take(_SCALAR[vtype])


def read_gguf(path: str | Path, with_tokens: bool = True) -> GgufInfo:
    """Parse the header; raise GgufError if the file is not GGUF or is truncated."""
    path = Path(path)
    if not path.is_file():
        raise GgufError(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    with open(path, "rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise GgufError(
                f"{path} is not a GGUF file (it does not start with the GGUF magic); "
                "give a .gguf model, a Hugging Face directory, or a catalogue name (codehone models list)"
            )
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            c = _Cursor(mm, path)
            c.pos = 4
            info = GgufInfo(path=path, size=size, version=c.take("I"))
            n_tensors, n_kv = c.take("Q"), c.take("Q")
            for _ in range(n_kv):
                key = c.string()
                vtype = c.take("I")
                if with_tokens and key == "tokenizer.ggml.token_type":
                    start = c.pos
                    etype, n = GGUFValueType(c.take("I")), c.take("Q")
                    info.token_types = list(struct.unpack_from(f"<{n}{_SCALAR[etype]}", c.buf, c.pos))
                    c.pos = start
                keep = with_tokens and key == "tokenizer.ggml.tokens"
                val = c.value(vtype, keep_strings=keep)
                if keep:
                    info.tokens = val
                    val = f"<{len(val)} strings>"
                info.metadata[key] = val
            for _ in range(n_tensors):
                name = c.string()
                dims = [c.take("Q") for _ in range(c.take("I"))]
                ttype, offset = c.take("I"), c.take("Q")
                block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ttype)]
                n = 1
                for d in dims:
                    n *= d
                info.tensors.append((name, ttype, offset, n // block * type_size))
            align = int(info.metadata.get("general.alignment", 32))
            info.data_start = (c.pos + align - 1) // align * align
    if info.tensors:
        needed = info.data_start + max(off + nb for _n, _t, off, nb in info.tensors)
        if needed > size:
            raise GgufError(
                f"{path} is truncated: {size:,} bytes but its tensors need {needed:,}; "
                "the download is incomplete, fetch it again"
            )
    return info


def check_gguf_file(path: str | Path, what: str = "model") -> GgufInfo:
    info = read_gguf(path, with_tokens=False)
    if what == "model" and info.is_lora:
        raise GgufError(f"{path} is a LoRA adapter, not a model; pass it as --adapter over its base model")
    if what != "model" and not info.is_lora:
        raise GgufError(f"{path} is a full model, not a LoRA adapter; pass it as --model")
    return info
