"""Token-level distillation: the student learns the teacher's next-token distributions.

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

The teacher cache (``RUN/teacher/topk-<key>/``): one pass of the teacher over the training
examples before the student loads (so the two models are never in memory together off-policy),
written in shards of ``shard_size`` examples (``shard-00000.npz``: per-example offsets, ids
[P, k] int32, logp [P, k] float32, logtail [P] float32 over the P labelled positions), each
written atomically, so an interrupted pass resumes at the next shard and epochs, ``--resume``
and reruns never run the teacher again. The key hashes the teacher (reference, resolved path,
weight file sizes), k, T and every example's tokens and targets: new data or settings get a new
cache, never a stale one. The cache identity and fill go into each checkpoint's state.

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

import dataclasses
import difflib
import hashlib
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable

import numpy as np

from codehone.train import TrainError

KL_KINDS = ("forward", "reverse")


@dataclass
class DistillConfig:
    mode: str = "token"  # "token" (KL to the teacher's distributions) or "sequence" (train on its answers)
    kl: str = "forward"  # token mode: forward KL(teacher||student) or reverse KL(student||teacher)
    temperature: float = 1.0  # token mode: both distributions at this temperature; the loss is scaled by T^2
    alpha: float = 0.0  # token mode: weight of the cross-entropy on the data (1 - alpha on the KL)
    lmbda: float = 0.0  # token mode: fraction of rows trained on the student's own samples (GKD)
    top_k: int = 20  # token mode: teacher ids kept per position; the rest is one tail bucket
    student_temperature: float = 1.0  # on-policy sampling temperature
    gen_max_tokens: int = 256  # longest on-policy sample / teacher answer, in tokens
    teacher_temperature: float = 0.0  # sequence mode: teacher sampling (0: greedy)
    fallback: str = "original"  # sequence mode: a failing teacher answer keeps the data's ("original") or drops the row ("drop")
    shard_size: int = 256  # token mode: examples per teacher-cache shard

    def validate(self) -> None:
        def need(cond: bool, msg: str) -> None:
            if not cond:
                raise TrainError(msg)

        need(self.mode in ("token", "sequence"), f"--mode must be token or sequence, got {self.mode!r}")
        need(self.kl in KL_KINDS, f"kl must be forward or reverse, got {self.kl!r}")
        need(self.temperature > 0, f"temperature must be > 0, got {self.temperature}")
        need(0 <= self.alpha <= 1, f"alpha must be in [0, 1], got {self.alpha}")
        need(0 <= self.lmbda <= 1, f"lmbda must be in [0, 1], got {self.lmbda}")
        need(self.top_k >= 1, f"top_k must be >= 1, got {self.top_k}")
        need(self.student_temperature > 0, f"student_temperature must be > 0, got {self.student_temperature}")
        need(self.teacher_temperature >= 0, f"teacher_temperature must be >= 0, got {self.teacher_temperature}")
        need(self.gen_max_tokens >= 1 and self.shard_size >= 1, "gen_max_tokens and shard_size must be >= 1")
        need(self.fallback in ("original", "drop"), f"fallback must be original or drop, got {self.fallback!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


DISTILL_FIELDS = {f.name: f for f in fields(DistillConfig)}


def build_configs(preset: str | Path | None, overrides: list[str], mode: str | None = None):
    """(TrainConfig, DistillConfig) from a preset YAML and key=value overrides; each key goes to
    the dataclass that has it, an unknown key names the closest keys of both."""
    from codehone.train import config as tc

    def split(values: dict, where: str):
        d, t = {}, {}
        for key, value in values.items():
            k = str(key).replace("-", "_")
            if k in DISTILL_FIELDS:
                d[k] = value
            elif k in tc.FIELDS:
                t[k] = value
            else:
                close = difflib.get_close_matches(k, list(DISTILL_FIELDS) + list(tc.FIELDS), n=3, cutoff=0.6)
                if k in tc.ALIASES:
                    close.insert(0, tc.ALIASES[k])
                hint = f"; did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""
                raise TrainError(f"unknown training or distillation setting {key!r} in {where}{hint}")
        return d, t

    def coerce(key: str, value: Any, where: str) -> Any:
        kind = type(getattr(DistillConfig(), key))
        try:
            return value if isinstance(value, kind) else kind(value)
        except (TypeError, ValueError):
            raise TrainError(f"{key} in {where} must be {kind.__name__}, got {value!r}") from None

    train_cfg, dcfg = tc.TrainConfig(), DistillConfig()
    sources = []
    if preset is not None:
        sources.append((tc.load_preset(preset), str(preset)))
    if overrides:
        sources.append((tc.parse_overrides(overrides), "the command line"))
    for values, where in sources:
        d, t = split(values, where)
        train_cfg = tc.apply(train_cfg, t, where)
        dcfg = dataclasses.replace(dcfg, **{k: coerce(k, v, where) for k, v in d.items()})
    if mode is not None:
        dcfg = dataclasses.replace(dcfg, mode=mode)
    train_cfg.validate()
    dcfg.validate()
    return train_cfg, dcfg


# --- the math ---------------------------------------------------------------------------------


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


# --- the teacher ------------------------------------------------------------------------------


def load_teacher(teacher_dir: Path, dtype, device):
    """The frozen teacher (a Hugging Face directory), in eval mode. Tests replace this to count calls."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(teacher_dir), dtype=dtype, attn_implementation="sdpa")
    model.config.use_cache = False
    for p in model.parameters():
        p.requires_grad_(False)
    return model.to(device).eval()


def check_shared_tokenizer(teacher_tok, student_tok, teacher: str, student: str) -> None:
    """Token-level distillation compares distributions id by id: the vocabularies must be equal."""
    tv, sv = teacher_tok.get_vocab(), student_tok.get_vocab()
    if tv == sv:
        return
    differ = sorted(set(tv.items()) ^ set(sv.items()), key=lambda kv: kv[1])[:3]
    raise TrainError(f"token-level distillation needs the teacher and the student to share a tokenizer, but {teacher} "
                     f"has {len(tv)} tokens and {student} has {len(sv)} (they differ at e.g. "
                     f"{', '.join(f'{t!r}={i}' for t, i in differ)}); use --mode sequence, which trains on the "
                     "teacher's answers as text")


def teacher_identity(teacher: str, teacher_dir: Path) -> str:
    sizes = sorted((p.name, p.stat().st_size) for p in Path(teacher_dir).glob("*.safetensors"))
    return json.dumps([teacher, str(teacher_dir), sizes])


def _row_topk(teacher, examples, row: list[int], k: int, temperature: float, device):
    """Teacher top-k at the labelled positions of one packed row, split per example."""
    import torch

    from codehone.train.packing import collate

    batch = collate(examples, row)
    targets = batch["targets"][0]
    keep = (targets != -100).nonzero().squeeze(1)
    with torch.no_grad():
        out = teacher(input_ids=batch["input_ids"].to(device), position_ids=batch["position_ids"].to(device),
                      use_cache=False, logits_to_keep=keep.to(device))
        ids, logp, logtail = teacher_topk(out.logits[0], k, temperature)
    ids, logp, logtail = ids.cpu().numpy().astype(np.int32), logp.cpu().numpy(), logtail.cpu().numpy()
    parts, at = [], 0
    for i in row:
        n = examples[i].n_targets
        parts.append((ids[at : at + n], logp[at : at + n], logtail[at : at + n]))
        at += n
    return parts


class TeacherCache:
    """Teacher top-k per training example, on disk in shards (see the module doc)."""

    def __init__(self, root: Path, key_parts: dict, examples: list):
        h = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode())
        for e in examples:
            h.update(e.ids.tobytes())
            h.update(e.targets.tobytes())
            h.update(b"|")
        self.key = h.hexdigest()[:16]
        self.dir = Path(root) / f"topk-{self.key}"
        self.key_parts = key_parts
        self.examples = examples
        self.entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def shard_path(self, s: int) -> Path:
        return self.dir / f"shard-{s:05d}.npz"

    def n_shards(self, shard_size: int) -> int:
        return -(-len(self.examples) // shard_size)

    def missing(self, shard_size: int) -> list[int]:
        return [s for s in range(self.n_shards(shard_size)) if not self.shard_path(s).exists()]

    def fill(self, make_teacher: Callable[[], Any], k: int, temperature: float, shard_size: int, row_tokens: int,
             device, echo: Callable[[str], None]) -> int:
        """Compute the missing shards; returns how many were computed (0: the teacher never loaded)."""
        from codehone.train.packing import pack

        todo = self.missing(shard_size)
        if not todo:
            return 0
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "meta.json").write_text(json.dumps({**self.key_parts, "examples": len(self.examples),
                                                        "shard_size": shard_size}, indent=2, sort_keys=True))
        echo(f"teacher top-{k} cache: {len(todo)} of {self.n_shards(shard_size)} shards to compute in {self.dir}")
        teacher = make_teacher()
        for s in todo:
            idx = list(range(s * shard_size, min(len(self.examples), (s + 1) * shard_size)))
            got: dict[int, tuple] = {}
            for row in pack([len(self.examples[i]) for i in idx], list(range(len(idx))), row_tokens):
                real = [idx[j] for j in row]
                for i, part in zip(real, _row_topk(teacher, self.examples, real, k, temperature, device)):
                    got[i] = part
            counts = np.array([got[i][0].shape[0] for i in idx], dtype=np.int64)
            tmp = self.dir / f".shard-{s:05d}.tmp.npz"
            np.savez(tmp, offsets=np.concatenate([[0], np.cumsum(counts)]),
                     ids=np.concatenate([got[i][0] for i in idx]), logp=np.concatenate([got[i][1] for i in idx]),
                     logtail=np.concatenate([got[i][2] for i in idx]))
            os.replace(tmp, self.shard_path(s))  # a shard is complete or absent
        return len(todo)

    def load(self, shard_size: int) -> None:
        entries = []
        for s in range(self.n_shards(shard_size)):
            with np.load(self.shard_path(s)) as z:
                off, ids, logp, logtail = z["offsets"], z["ids"], z["logp"], z["logtail"]
            entries += [(ids[off[j] : off[j + 1]], logp[off[j] : off[j + 1]], logtail[off[j] : off[j + 1]])
                        for j in range(len(off) - 1)]
        if len(entries) != len(self.examples) or any(e[0].shape[0] != x.n_targets for e, x in zip(entries, self.examples)):
            raise TrainError(f"the teacher cache {self.dir} does not match the training examples; delete it and rerun")
        self.entries = entries


# --- the loss hook ----------------------------------------------------------------------------


class TokenDistillLoss:
    """``lora.LossHook`` for token-level distillation (see the module doc)."""

    def __init__(self, teacher: str, teacher_dir: Path, dcfg: DistillConfig):
        self.teacher, self.teacher_dir, self.dcfg = teacher, Path(teacher_dir), dcfg
        self.cache: TeacherCache | None = None
        self.live = None  # the teacher model, kept only for on-policy rows
        self._m = np.zeros(4)  # kl sum, ce sum, positions, on-policy examples (since last metrics())

    # -- LossHook --
    def prepare(self, *, examples, tokenizer, out, dist, device, dtype, config, echo) -> None:
        from codehone.train.dataset import Encoder

        d = self.dcfg
        self.examples, self.seed, self.device = examples, config.seed, device
        self.encoder = Encoder(tokenizer)
        key = {"teacher": teacher_identity(self.teacher, self.teacher_dir), "top_k": d.top_k,
               "temperature": d.temperature, "shard_size": d.shard_size}
        self.cache = TeacherCache(Path(out) / "teacher", key, examples)
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

        from codehone.train.packing import collate

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
            tops.append(_row_topk(self.live, local, [exs[j]], d.top_k, d.temperature, device)[0])
            ce_w.append(np.zeros(sampled.n_targets))  # never imitate the student's own sample
            w.append(np.full(sampled.n_targets, e.n_targets / max(1, sampled.n_targets)))
            self._m[3] += 1
        if exs != list(row):
            batch = collate(local, exs)
        targets = batch["targets"][0]
        keep = (targets != -100).nonzero().squeeze(1)
        from codehone.train.loss import compute_context

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
        from codehone.backends.fim import stop_tokens_for

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

        from codehone.train.dataset import IGNORE, Example

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


def mean_kl(model, examples: list, cache: TeacherCache, kind: str = "forward", temperature: float = 1.0) -> float:
    """Mean per-position top-k KL of ``model`` to the cached teacher over ``examples`` (eval helper)."""
    import torch

    from codehone.train.packing import collate

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


# --- the entry point --------------------------------------------------------------------------


def distill(data_dir: str | Path, teacher: str, student: str, out_dir: str | Path, config, dcfg: DistillConfig, *,
            resume: bool = False, force: bool = False, echo: Callable[[str], None] = print,
            backend_factory: Callable[[str], Any] | None = None) -> dict:
    """Distil ``teacher`` into a LoRA adapter on ``student``; the outputs are train's (lora.py)
    plus ``RUN/teacher/``. Returns train's summary with a ``distill`` entry."""
    from codehone.train.lora import train

    dcfg.validate()
    config.validate()
    data_dir, out = Path(data_dir), Path(out_dir)
    extra = {"teacher": teacher, "distill": dcfg.to_dict()}
    if dcfg.mode == "sequence":
        from codehone.train.distill_seq import sequence_data

        seq_dir, stats = sequence_data(data_dir, teacher, student, out, config, dcfg, echo=echo,
                                       backend_factory=backend_factory)
        summary = train(seq_dir, student, out, config, resume=resume, force=force, echo=echo, stage="distill",
                        manifest_extra={**extra, "source_data": str(data_dir), "teacher_answers": stats})
        summary["distill"] = {"mode": "sequence", **stats}
        return summary

    from transformers import AutoTokenizer

    from codehone.train.dataset import read_card
    from codehone.train.model import resolve_base

    read_card(data_dir)
    teacher_dir, student_dir = resolve_base(teacher), resolve_base(student)
    check_shared_tokenizer(AutoTokenizer.from_pretrained(str(teacher_dir)),
                           AutoTokenizer.from_pretrained(str(student_dir)), teacher, student)
    hook = TokenDistillLoss(teacher, teacher_dir, dcfg)
    summary = train(data_dir, student, out, config, resume=resume, force=force, echo=echo, loss_hook=hook,
                    stage="distill", manifest_extra=extra)
    summary["distill"] = {"mode": "token", "teacher_cache": str(hook.cache.dir) if hook.cache else None}
    return summary
