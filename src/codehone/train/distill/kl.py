"""The distillation loss's maths: KL between the teacher's top-k + tail and the student.

The loss at each labelled position (the positions ``row_loss`` would train on) is a KL divergence
between teacher and student distributions at temperature T (Hinton et al. 2015), scaled by T^2 so
gradients keep their size across temperatures, optionally mixed with the cross-entropy on the
data (``alpha``)::

    loss = (1 - alpha) * T^2 * KL + alpha * CE

    kl=forward   KL(p_teacher || q_student)   mean-seeking: cover everything the teacher allows
    kl=reverse   KL(q_student || p_teacher)   mode-seeking: put mass where the teacher is sure
                                              (MiniLLM, Gu et al. 2024; GKD, Agarwal et al. 2024)

Top-k with the tail as one bucket. Storing the teacher's full distribution (151,936 floats per
token for Qwen2.5) is out of the question; we keep its k most likely ids with their
log-probabilities and the log of the remaining mass, ``log(1 - sum top-k)``, computed as a
logsumexp over the other logits (exact; no cancellation). Both distributions are then compared
on k + 1 outcomes: the k ids and "anything else". That is the KL of the two distributions
coarsened the same way, never more than the full KL (data processing inequality), equal to it
when k covers the vocabulary, and, unlike renormalising the top-k, it still pushes the
student's tail mass towards the teacher's. Shapes: student logits [N, V], teacher ids and
log-probabilities [N, k], teacher log-tail [N].
"""

from __future__ import annotations

from codehone.train import TrainError
from codehone.train.packing import collate


def teacher_topk(logits, k: int, temperature: float):
    """Top-k of log_softmax(logits / T) and the log of the remaining mass.
    logits [N, V] -> ids [N, k] int64, logp [N, k] fp32, logtail [N] fp32 (-inf when k >= V)."""
    import torch

    z = logits.float() / temperature
    lse = torch.logsumexp(z, dim=-1, keepdim=True)  # [N, 1]
    k = min(k, z.shape[-1])
    top, ids = z.topk(k, dim=-1)  # [N, k]
    logp = top - lse
    rest = z.scatter(-1, ids, float("-inf"))
    logtail = (torch.logsumexp(rest, dim=-1, keepdim=True) - lse).squeeze(-1)  # [N]
    return ids, logp, logtail


def topk_kl(student_logits, t_ids, t_logp, t_logtail, kind: str = "forward", temperature: float = 1.0):
    """Per-position KL between the teacher's top-k + tail and the student's distribution
    coarsened onto the same k + 1 outcomes. student_logits [N, V]; t_ids, t_logp [N, k];
    t_logtail [N]. Returns [N] (nats, not yet scaled by T^2)."""
    import torch

    s_full = torch.log_softmax(student_logits.float() / temperature, dim=-1)  # [N, V]
    s_logp = s_full.gather(-1, t_ids)  # [N, k]
    t_logp = t_logp.float()
    has_tail = t_ids.shape[-1] < s_full.shape[-1]
    if has_tail:
        s_logtail = torch.logsumexp(s_full.scatter(-1, t_ids, float("-inf")), dim=-1)  # [N], finite
        t_lt = t_logtail.float()
        # A teacher tail that underflowed to exactly zero mass: use a tiny one, so the math stays finite.
        t_lt = torch.where(torch.isfinite(t_lt), t_lt, torch.full_like(t_lt, -1e4))
    if kind == "forward":  # sum p (log p - log q)
        kl = (t_logp.exp() * (t_logp - s_logp)).sum(-1)
        if has_tail:
            kl = kl + t_lt.exp() * (t_lt - s_logtail)
    elif kind == "reverse":  # sum q (log q - log p)
        kl = (s_logp.exp() * (s_logp - t_logp)).sum(-1)
        if has_tail:
            kl = kl + s_logtail.exp() * (s_logtail - t_lt)
    else:
        raise TrainError(f"kl must be forward or reverse, got {kind!r}")
    return kl


def mean_kl(model, examples: list, cache, kind: str = "forward", temperature: float = 1.0) -> float:
    """Mean per-position top-k KL of ``model`` to the cached teacher over ``examples`` (eval helper)."""
    import torch

    total, n = 0.0, 0
    with torch.no_grad():
        for i, e in enumerate(examples):
            b = collate(examples, [i])
            keep = (b["targets"][0] != -100).nonzero().squeeze(1)
            logits = model(input_ids=b["input_ids"], position_ids=b["position_ids"], logits_to_keep=keep).logits[0]
            ids, logp, tail = cache.entries[i]
            kl = topk_kl(logits, torch.from_numpy(ids).long(), torch.from_numpy(logp), torch.from_numpy(tail), kind,
                         temperature)
            total, n = total + float(kl.sum()), n + len(kl)
    return total / max(n, 1)
