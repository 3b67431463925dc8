"""One prompt kept aside in host memory, so another kind of request does not cost it its evaluation.

Sequence 0 of the llama.cpp backend holds the last prompt, and a request that shares a prefix with
it only evaluates the new tail. A server that mixes two kinds of request loses that: in the block
studio the chat's shared prompt (system card and worked examples, about 480 tokens) is replaced by
a next-block prompt (FIM, another layout), and the child's next chat turn evaluates all of it again.

``KeptPrompt`` copies sequence 0's KV cells once (``llama_state_seq_get_data``: about 12 KB a token
for the 0.5B, 6 MB for the chat's prompt) and copies them back into sequence 0 when a later prompt
shares more tokens with the kept one than with what sequence 0 holds then. Copying back costs
milliseconds; evaluating the prompt again costs about a second on two cores (docs/benchmarks.md,
"kept prompt"). Logits are not kept: the caller always evaluates a prompt's last token again.
"""

from __future__ import annotations

import ctypes

import llama_cpp as C

from codehone.backends.base import GenerationError

__all__ = ["KeptPrompt", "common_prefix"]


def common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class KeptPrompt:
    """The tokens sequence 0 held when it was kept, and a copy of their KV cells."""

    def __init__(self, ctx, tokens: list[int]):  # noqa: ANN001 - a llama_context_p
        size = C.llama_state_seq_get_size(ctx, 0)
        self.data = (ctypes.c_uint8 * size)()
        if C.llama_state_seq_get_data(ctx, self.data, size, 0) != size:
            raise GenerationError("llama.cpp could not copy the prompt's cache to keep it")
        self.tokens = list(tokens)

    @property
    def nbytes(self) -> int:
        return len(self.data)

    def restore(self, ctx, mem) -> None:  # noqa: ANN001 - llama_context_p, llama_memory_t
        """Make sequence 0 hold the kept tokens again; every sequence's cells are dropped first, so the
        copy finds room (the caller drops sequences 1.. before each prompt anyway)."""
        C.llama_memory_seq_rm(mem, -1, -1, -1)
        if not C.llama_state_seq_set_data(ctx, self.data, len(self.data), 0):
            raise GenerationError("llama.cpp could not load the kept prompt back (the context may be full)")
