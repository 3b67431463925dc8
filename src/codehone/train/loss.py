"""Cross-entropy over a 151k vocabulary without fp32 copies of the logits, and the bf16 compute
context the training forward runs in.

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
"""

from __future__ import annotations

import contextlib

CHUNK = 64  # rows of logits converted to fp32 at a time: [64, 151936] fp32 = 39 MB


def _cross_entropy_sum():
    import torch

    class CrossEntropySum(torch.autograd.Function):
        """Summed cross-entropy of ``logits`` [N, V] (any float dtype) against ``targets`` [N].

        The forward also writes the gradient, ``softmax - onehot`` in the logits' dtype, so the
        exponentials are computed once; the backward only scales it. One fp32 buffer of
        [CHUNK, V] is reused for every chunk: a fresh 40 MB tensor per chunk costs more in page
        faults (about 10 ms each here) than the arithmetic on it."""

        @staticmethod
        def forward(ctx, logits, targets):
            n, v = logits.shape
            want_grad = ctx.needs_input_grad[0]
            grad = torch.empty_like(logits) if want_grad else None
            buf = torch.empty((min(CHUNK, n), v), dtype=torch.float32, device=logits.device)
            total = torch.zeros((), dtype=torch.float64, device=logits.device)
            for s in range(0, n, CHUNK):
                c = min(CHUNK, n - s)
                x = buf[:c]
                x.copy_(logits[s : s + c])
                t = targets[s : s + c]
                rows = torch.arange(c, device=logits.device)
                m = x.amax(dim=1, keepdim=True)  # [c, 1]
                picked = x[rows, t] - m[:, 0]  # target logit, shifted
                x.sub_(m).exp_()
                z = x.sum(dim=1)  # [c]
                total += (z.log() - picked).double().sum()
                if want_grad:
                    x.div_(z[:, None])  # softmax
                    x[rows, t] -= 1.0
                    grad[s : s + c].copy_(x)
            if want_grad:
                ctx.save_for_backward(grad)
            return total.float()

        @staticmethod
        def backward(ctx, grad_out):
            (grad,) = ctx.saved_tensors
            return grad.mul_(grad_out.to(grad.dtype)), None

    return CrossEntropySum


_FN = None


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
