"""The training loss of a packed row (``row_loss``): cross-entropy over a 151k vocabulary without
fp32 copies of the logits, and the bf16 compute context the training forward runs in.

Why a function of our own: ``F.cross_entropy(logits.float(), t)`` on N labelled positions of
Qwen2.5's 151,936-token vocabulary makes an fp32 copy of the [N, V] logits, an fp32
log-softmax that autograd keeps, then in backward a zero-filled [N, V] gradient, the log-softmax
backward and a cast back to bf16: five full passes over 4 bytes x N x V (250 MB for N = 412),
which on a 2-core CPU cost more than the lm_head matmul itself (profiled in
docs/benchmarks.d/train.md). Here the logits are read once, chunk by chunk, into one reused fp32
buffer (``CHUNK`` rows, ~40 MB); the forward sums the loss and writes ``softmax - onehot`` in the
logits' own dtype (what the standard path casts its gradient to in the end), and the backward
only scales it; the logits themselves are not kept. The arithmetic is
the same fp32 log-softmax: results match ``F.cross_entropy`` on the fp32 logits to rounding.

Even so the [N, V] logits and their [N, V] gradient are each made once: at seq_len 2048 with ~1.3k
labelled positions and fp32 weights (a CPU without bf16) that is 2 x 0.8 GB resident during
every training step. ``linear_cross_entropy_sum`` applies the frozen lm_head itself, a chunk of
rows at a time, and keeps only the gradient with respect to the hidden states, [N, 896]: the
logits never exist beyond one chunk (issue 21: the demo's training must fit in 6 GB). The
forward pass gives the model's final hidden states instead of logits (``head_bypassed``), so the
model is still called as a whole (DDP's forward hooks, PEFT's adapters, checkpointing all as before).
"""

from __future__ import annotations

import contextlib

CHUNK = 64  # rows of logits converted to fp32 at a time: [64, 151936] fp32 = 39 MB


def _cross_entropy_sum():
    import torch

    class CrossEntropySum(torch.autograd.Function):
        """Summed cross-entropy of ``logits`` [N, V] (any float dtype) against ``targets`` [N].

        The forward also writes the gradient, ``softmax - onehot`` in the logits' dtype, so the
        exponentials are computed once; the backward only scales it."""

        @staticmethod
        def forward(ctx, logits, targets):
            grad = torch.empty_like(logits) if ctx.needs_input_grad[0] else None

            def keep_grad(s, c, x, _chunk_logits):
                grad[s : s + c].copy_(x)

            total = _sum_over_chunks(targets, logits.shape[1], lambda s, c: logits[s : s + c],
                                     keep_grad if grad is not None else None)
            if grad is not None:
                ctx.save_for_backward(grad)
            return total

        @staticmethod
        def backward(ctx, grad_out):
            (grad,) = ctx.saved_tensors
            return grad.mul_(grad_out.to(grad.dtype)), None

    return CrossEntropySum


def _sum_over_chunks(targets, v, logits_of, write_grad):
    """The summed cross-entropy over ``CHUNK`` rows at a time (fp32 result): ``logits_of(s, c)``
    gives rows ``s:s+c`` of the [N, V] logits in any float dtype; when ``write_grad`` is given it
    receives each chunk's ``softmax - onehot`` (fp32, in a buffer reused by the next chunk) with
    that chunk's logits. One fp32 buffer of [CHUNK, V] serves every chunk: a fresh 40 MB tensor per
    chunk costs more in page faults (about 10 ms each here) than the arithmetic on it."""
    import torch

    n, device = targets.shape[0], targets.device
    buf = torch.empty((min(CHUNK, n), v), dtype=torch.float32, device=device)
    total = torch.zeros((), dtype=torch.float64, device=device)
    for s in range(0, n, CHUNK):
        c = min(CHUNK, n - s)
        chunk_logits = logits_of(s, c)
        x = buf[:c]
        x.copy_(chunk_logits)
        total += _chunk_loss(x, targets[s : s + c], torch.arange(c, device=device), write_grad is not None)
        if write_grad is not None:
            write_grad(s, c, x, chunk_logits)
        del chunk_logits
    return total.float()


def _chunk_loss(x, t, rows, want_grad):
    """In place on the fp32 chunk ``x`` [c, V]: its summed cross-entropy against ``t`` (float64), and
    when ``want_grad`` x becomes ``softmax - onehot``."""
    m = x.amax(dim=1, keepdim=True)  # [c, 1]
    picked = x[rows, t] - m[:, 0]  # target logit, shifted
    x.sub_(m).exp_()
    z = x.sum(dim=1)  # [c]
    loss = (z.log() - picked).double().sum()
    if want_grad:
        x.div_(z[:, None])  # softmax
        x[rows, t] -= 1.0
    return loss


def _linear_cross_entropy_sum():
    import torch
    import torch.nn.functional as F

    class LinearCrossEntropySum(torch.autograd.Function):
        """Summed cross-entropy of ``hidden @ weight.T`` [N, V] against ``targets`` [N], for a frozen
        ``weight`` [V, H]: the logits are made ``CHUNK`` rows at a time and dropped, and the forward
        writes the gradient with respect to ``hidden`` [N, H] (``(softmax - onehot) @ weight``, in
        the logits' dtype as lm_head's own backward computes it), which the backward only scales.
        The matmuls run under the caller's autocast, so a bf16 model gets bf16 logits as from its
        lm_head."""

        @staticmethod
        def forward(ctx, hidden, weight, targets):
            grad = torch.empty_like(hidden) if ctx.needs_input_grad[0] else None

            def hidden_grad(s, c, x, chunk_logits):
                g = x.to(chunk_logits.dtype)  # lm_head's backward gets the gradient in the logits' dtype
                grad[s : s + c].copy_(torch.matmul(g, weight.to(g.dtype)))

            # F.linear on c rows: what lm_head gives for them; the chunk is dropped after its turn
            total = _sum_over_chunks(targets, weight.shape[0], lambda s, c: F.linear(hidden[s : s + c], weight),
                                     hidden_grad if grad is not None else None)
            if grad is not None:
                ctx.save_for_backward(grad)
            return total

        @staticmethod
        def backward(ctx, grad_out):
            (grad,) = ctx.saved_tensors
            return grad.mul_(grad_out.to(grad.dtype)), None, None

    return LinearCrossEntropySum


_FN = None
_LINEAR_FN = None


def linear_cross_entropy_sum(hidden, weight, targets):
    """sum_i -log softmax(hidden_i @ weight.T)[targets_i] without the [N, V] logits; differentiable
    in ``hidden`` only (``weight`` is a frozen output head); fp32 result."""
    global _LINEAR_FN
    if weight.requires_grad:
        raise ValueError("linear_cross_entropy_sum is for a frozen output head (no gradient for its weight)")
    if _LINEAR_FN is None:
        _LINEAR_FN = _linear_cross_entropy_sum()
    return _LINEAR_FN.apply(hidden, weight, targets)


def frozen_head(model):
    """The model's output head when ``linear_cross_entropy_sum`` can stand in for it: a plain
    ``nn.Linear`` without bias whose full weight is here and frozen (not a LoRA target, not an FSDP
    shard); else None, and the logits are made by the model as usual."""
    import torch

    inner = getattr(model, "module", model)  # a DDP wrapper's model
    get = getattr(inner, "get_output_embeddings", None)
    head = get() if callable(get) else None
    if type(head) is not torch.nn.Linear or head.bias is not None:
        return None
    w = head.weight
    if w.requires_grad or tuple(w.shape) != (head.out_features, head.in_features):
        return None
    return head


@contextlib.contextmanager
def head_bypassed(model, head):
    """While inside, ``model``'s output head ``head`` is the identity: the forward's ``logits`` are the
    final hidden states (of the ``logits_to_keep`` positions)."""
    import torch

    inner = getattr(model, "module", model)
    name = next(n for n, m in inner.named_modules() if m is head)
    parent = inner.get_submodule(name.rpartition(".")[0]) if "." in name else inner
    attr = name.rpartition(".")[2]
    setattr(parent, attr, torch.nn.Identity())
    try:
        yield
    finally:
        setattr(parent, attr, head)


def cross_entropy_sum(logits, targets):
    """sum_i -log softmax(logits_i)[targets_i], differentiable in ``logits``; fp32 result."""
    global _FN
    if _FN is None:
        _FN = _cross_entropy_sum()
    return _FN.apply(logits, targets)


def compute_context(model, device):
    """bf16 autocast for a bf16 model on a CPU, with PEFT's input casting switched off.

    PEFT keeps LoRA weights in fp32 (so AdamW's small updates are not rounded away) and casts
    every layer's input to fp32 before the adapter: on a [T, 4864] MLP activation that is a copy
    and an fp32 matmul per layer, a third of a CPU training step. Under autocast the fp32 master
    weights are cast to bf16 for the matmul instead (the mixed precision ``Trainer(bf16=True)``
    uses), gradients still accumulate in fp32. Elsewhere (fp32 models, CUDA) a no-op context."""
    import torch

    # The frozen base's dtype (a DDP/FSDP wrapper has no ``.dtype``); adapters are fp32 either way.
    base_dtype = next((p.dtype for p in model.parameters() if not p.requires_grad), None)
    if getattr(device, "type", str(device)) != "cpu" or base_dtype != torch.bfloat16:
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    from peft.helpers import disable_input_dtype_casting

    stack.enter_context(disable_input_dtype_casting(model))
    stack.enter_context(torch.autocast("cpu", dtype=torch.bfloat16))
    return stack


def row_loss(model, batch: dict, device):
    """Summed cross-entropy over the labelled positions of one packed row, and their count.

    batch: input_ids, position_ids, targets, each [1, T]. Positions restart per example, and no
    attention mask is passed, so transformers builds the block-diagonal mask (packing.py)."""
    targets = batch["targets"][0]  # [T]
    keep = (targets != -100).nonzero().squeeze(1)  # [N] positions with a loss
    head = frozen_head(model)
    with compute_context(model, device):
        # With a frozen lm_head (LoRA's usual case) the forward stops at the final hidden states and
        # the head is applied chunk by chunk inside the loss, so the [N, V] logits and their
        # gradient are never held whole (module doc: 1.6 GB at seq_len 2048 in fp32).
        with head_bypassed(model, head) if head is not None else contextlib.nullcontext():
            out = model(input_ids=batch["input_ids"].to(device), position_ids=batch["position_ids"].to(device),
                        use_cache=False, logits_to_keep=keep.to(device))
        if head is not None:  # out.logits: the hidden states [1, N, H]; the head runs under the same autocast
            loss = linear_cross_entropy_sum(out.logits.flatten(0, 1), head.weight, targets[keep].to(device))
            return loss, int(keep.numel())
    logits = out.logits.flatten(0, 1)  # [N, V] in the model dtype (a view: no [1, N, V] gradient to fill)
    # The softmax is fp32 inside (bf16's 8-bit mantissa makes log-probabilities of a 151k
    # vocabulary coarse), one chunk at a time.
    loss = cross_entropy_sum(logits, targets[keep].to(device))
    return loss, int(keep.numel())
