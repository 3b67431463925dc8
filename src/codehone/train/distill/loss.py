"""``TokenDistillLoss``: token-level distillation as a ``start.LossHook``.

The loss (kl.py) compares the student with the teacher's top-k + tail at every labelled
position; off-policy those come from the teacher cache (cache.py), filled once before the
student loads.

GKD on-policy mixing (``lmbda``): a fraction ``lmbda`` of the rows, chosen by a seeded hash of
(seed, step, row), swap each instruction example's answer (and each PSM fill-in-the-middle
example's middle) for one the student samples now, at ``student_temperature``; the teacher
scores those sequences live (no cache can hold them: they exist only at that step), so with
lmbda > 0 the teacher stays in memory through training. Other examples of such a row (plain
text, SPM infill, whose prompt cannot be cut off) keep their data and cached teacher. The
cross-entropy term applies only to the data's own sequences, never to the student's samples.
An on-policy example is weighted by (data answer tokens / sampled tokens), so each example
counts as much in a step as it would off-policy. Sampling draws on the torch RNG that
checkpoints save, so resumed runs sample the same sequences.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from codehone.core.fim import stop_tokens_for
from codehone.core.rundir import RunDir
from codehone.train import TrainError
from codehone.train.dataset import IGNORE, Encoder, Example
from codehone.train.distill.cache import TeacherCache, row_topk, teacher_identity
from codehone.train.distill.config import DistillConfig
from codehone.train.distill.kl import topk_kl
from codehone.train.loss import compute_context
from codehone.train.packing import collate


def load_teacher(teacher_dir: Path, dtype, device):
    """The frozen teacher (a Hugging Face directory), in eval mode. Tests replace this to count calls."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(teacher_dir), dtype=dtype, attn_implementation="sdpa")
    model.config.use_cache = False
    for p in model.parameters():
        p.requires_grad_(False)
    return model.to(device).eval()


class TokenDistillLoss:
    """``start.LossHook`` for token-level distillation (see the module doc)."""

    def __init__(self, teacher: str, teacher_dir: Path, dcfg: DistillConfig):
        self.teacher, self.teacher_dir, self.dcfg = teacher, Path(teacher_dir), dcfg
        self.cache: TeacherCache | None = None
        self.live = None  # the teacher model, kept only for on-policy rows
        self._m = np.zeros(4)  # kl sum, ce sum, positions, on-policy examples (since last metrics())

    # -- LossHook --
    def prepare(self, *, examples, tokenizer, out, dist, device, dtype, config, echo) -> None:
        d = self.dcfg
        self.examples, self.seed, self.device = examples, config.seed, device
        self.encoder = Encoder(tokenizer)
        key = {"teacher": teacher_identity(self.teacher, self.teacher_dir), "top_k": d.top_k,
               "temperature": d.temperature, "shard_size": d.shard_size}
        self.cache = TeacherCache(RunDir(out).teacher_dir, key, examples)
        teacher_box: list = []

        def make():
            if not teacher_box:
                teacher_box.append(load_teacher(self.teacher_dir, dtype, device))
            return teacher_box[0]

        if dist.rank == 0:
            self.cache.fill(make, d.top_k, d.temperature, d.shard_size, config.row_tokens, device, echo)
        dist.barrier()
        self.cache.load(d.shard_size)
        if d.lmbda > 0:
            self.live = make()
            self._stops = self._stop_ids(tokenizer)
        if self.live is None:
            teacher_box.clear()  # off-policy training never needs the teacher again: free it

    def state(self) -> dict:
        return {"distill": self.dcfg.to_dict(), "teacher": self.teacher,
                "teacher_cache": self.cache.key if self.cache else None,
                "cached_examples": len(self.cache.entries or []) if self.cache else 0}

    def metrics(self) -> dict:
        kl, ce, n, on = self._m
        self._m = np.zeros(4)
        out = {"kl": round(kl / max(n, 1), 6)}
        if self.dcfg.alpha > 0:
            out["ce"] = round(ce / max(n, 1), 6)
        if self.dcfg.lmbda > 0:
            out["on_policy_examples"] = int(on)
        return out

    def row_loss(self, model, batch, device, *, step: int, row: list[int]):
        import torch
        import torch.nn.functional as F

        d = self.dcfg
        n_data = int((batch["targets"] != -100).sum())
        exs, tops, ce_w, w = list(row), [], [], []
        on_policy = d.lmbda > 0 and np.random.default_rng([self.seed, step, *row]).random() < d.lmbda
        local = list(self.examples) if on_policy else self.examples
        for j, i in enumerate(row):
            e, cached = self.examples[i], self.cache.entries[i]
            sampled = self._sample(model, e) if on_policy else None
            if sampled is None:
                tops.append(cached)
                ce_w.append(np.ones(e.n_targets))
                w.append(np.ones(e.n_targets))
                continue
            local.append(sampled)
            exs[j] = len(local) - 1
            tops.append(row_topk(self.live, local, [exs[j]], d.top_k, d.temperature, device)[0])
            ce_w.append(np.zeros(sampled.n_targets))  # never imitate the student's own sample
            w.append(np.full(sampled.n_targets, e.n_targets / max(1, sampled.n_targets)))
            self._m[3] += 1
        if exs != list(row):
            batch = collate(local, exs)
        targets = batch["targets"][0]
        keep = (targets != -100).nonzero().squeeze(1)
        with compute_context(model, device):
            out = model(input_ids=batch["input_ids"].to(device), position_ids=batch["position_ids"].to(device),
                        use_cache=False, logits_to_keep=keep.to(device))
        logits = out.logits[0]  # [N, V]
        t_ids = torch.from_numpy(np.concatenate([t[0] for t in tops])).long().to(device)
        t_logp = torch.from_numpy(np.concatenate([t[1] for t in tops])).to(device)
        t_tail = torch.from_numpy(np.concatenate([t[2] for t in tops])).to(device)
        if t_ids.max() >= logits.shape[-1]:
            raise TrainError("the teacher predicts token ids beyond the student's vocabulary; use --mode sequence")
        weight = torch.from_numpy(np.concatenate(w)).float().to(device)
        kl = topk_kl(logits, t_ids, t_logp, t_tail, d.kl, d.temperature)  # [N]
        loss = (1 - d.alpha) * d.temperature**2 * (weight * kl).sum()
        self._m[0] += float((weight * kl).detach().sum())
        self._m[2] += n_data
        if d.alpha > 0:
            ce = F.cross_entropy(logits.float(), targets[keep].to(device), reduction="none")
            ce_weight = torch.from_numpy(np.concatenate(ce_w)).float().to(device)
            loss = loss + d.alpha * (ce_weight * ce).sum()
            self._m[1] += float((ce_weight * ce).detach().sum())
        return loss, n_data

    # -- on-policy --
    def _stop_ids(self, tokenizer) -> list[int]:
        vocab = tokenizer.get_vocab()
        stops = set()
        for mode in ("chat", "infill"):
            stops.update(vocab[t] for t in stop_tokens_for(mode, vocab, tokenizer.eos_token) if t in vocab)
        return sorted(stops)

    def _prompt_len(self, e) -> int | None:
        """Tokens before the answer: instruct = up to the first labelled target; PSM infill = up to
        and including the middle sentinel. None where no prompt can be cut off (LM text, SPM)."""
        tpl = self.encoder.template
        vocab = self.encoder.tokenizer.get_vocab()
        ids = e.ids.tolist()
        if tpl is not None and vocab.get(tpl.middle) in ids:
            mid = ids.index(vocab[tpl.middle])
            pre = ids.index(vocab[tpl.prefix]) if vocab.get(tpl.prefix) in ids else -1
            suf = ids.index(vocab[tpl.suffix]) if vocab.get(tpl.suffix) in ids else -1
            return mid + 1 if 0 <= pre < suf - 1 else None  # PRE directly followed by SUF: SPM
        labelled = np.nonzero(e.targets != -100)[0]
        first = int(labelled[0]) if len(labelled) else 0
        im_end = vocab.get("<|im_end|>")
        # instruct: the first labelled target is the answer's first token, predicted from position `first`
        return first + 1 if first > 0 and im_end is not None and im_end in ids[:first] else None

    def _sample(self, model, e):
        import torch

        p = self._prompt_len(e)
        if p is None:
            return None
        gen_model = getattr(model, "module", model)
        max_new = min(self.dcfg.gen_max_tokens, max(1, len(e.ids) - p + 16))
        prompt = torch.from_numpy(e.ids[:p])[None].to(self.device)
        with torch.no_grad():
            out = gen_model.generate(input_ids=prompt, attention_mask=torch.ones_like(prompt), do_sample=True,
                                     temperature=self.dcfg.student_temperature, top_k=0, top_p=1.0,
                                     max_new_tokens=max_new, eos_token_id=self._stops, pad_token_id=self._stops[0],
                                     use_cache=True)
        ids = out[0].cpu().numpy().astype(np.int64)
        if len(ids) <= p:
            return None
        targets = np.full(len(ids), IGNORE, dtype=np.int64)
        # Every sampled token is labelled, a sentinel it stopped on included: unlike the data's
        # sentinels (structure), a sampled one is the student's mistake, which the teacher's
        # distribution at that position corrects.
        targets[p - 1 : -1] = ids[p:]
        return Example(ids, targets)
