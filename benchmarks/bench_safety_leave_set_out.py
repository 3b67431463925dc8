"""blocks-safety, leave one set out: the request screen with the classifier behind the rules, each
development set scored by a classifier trained without it (issue 19). No language model.

    nice -n 19 .venv/bin/python benchmarks/bench_safety_leave_set_out.py    # -> results/safety_leave_set_out.json
    nice -n 19 .venv/bin/python benchmarks/bench_safety_leave_set_out.py --name safety_leave_set_out_s15

Rows of one hand-written set share their writer's style, so a row-level cross-validation flatters
(set 3: 1.9% safe refused out of fold, 10.8% on the set). Here, for each development set k (1, 2, 3,
since session 15 4, since session 16 5, since session 17 6, since session 18 7 and 8, since session 19 9, and
so on to set 12 since session 22: ``classifier.DEV_SETS``), a classifier is trained on everything else (the hand-written
``request_rows``, the other development sets, the plain requests) and the screen judges set k as
the copilot would: the rules (:func:`~codehone.blocks.languages.screen.screen_request`), then the
classifier's refusal of what they allow. The thresholds are chosen from these out-of-set figures as
the shipped model's are (``classifier.train``). Printed and saved: per set, per language and for the
safe rows refused their category, the rules alone and rules + classifier, at both levels, with the
thresholds chosen by the worst set and by the pooled sets; the time a request takes through the
screen with the shipped model (best of ``--repeat``, p50/p95); and the ordinary benchmarks' prompts
(blocks, kids, lang, edit, fix, tutor: a no-regression check, never training rows) the shipped model
would refuse. Per category too: unsafe caught and safe refused of each category's rows. The blind
set 13 and the English ``safety.jsonl`` are never read.

Since session 22 the standard level is judged behind the rules' *blind* verdicts where they are known
(``safety/blind_rule_verdicts.jsonl``: what the rules did to sets 3-12 before each was read; today's
rules, widened after reading them, refuse almost none of their play), and ``shipped`` is the model's
own choice: a threshold and a veto under which a rules' refusal for a harm is lifted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.safety import leave_set_out as lso  # noqa: E402
from codehone.blocks.safety import classifier  # noqa: E402
from codehone.blocks.safety.classifier import MIN_THRESHOLD, SAFE_REFUSED_TARGET, model, training_rows, using  # noqa: E402

ORDINARY_BENCHES = ("blocks", "blocks-kids", "blocks-lang", "blocks-edit", "blocks-fix", "blocks-tutor")


def ordinary_prompts() -> list[str]:
    """The requests (and fix complaints) of the ordinary benchmarks, once each."""
    from codehone.blocks.copilot.bench import load_benchmark

    seen: dict[str, None] = {}
    for name in ORDINARY_BENCHES:
        for task in load_benchmark(bench=name):
            for key in ("prompt", "complaint"):
                if task.get(key):
                    seen[task[key]] = None
    return list(seen)


def timings(prompts: list[str], repeat: int) -> dict:
    """ms p50/p95 of the screen with the shipped classifier behind it, best of ``repeat`` a request:
    CPU time (what the request costs; on a shared machine a niced run's wall time is mostly waiting)
    and wall time."""
    from codehone.blocks.safety.request_screen import screen

    cpu, wall = [], []
    with using(model()):
        for text in prompts:
            best_cpu = best_wall = float("inf")
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                screen(text, "standard")
                best_cpu = min(best_cpu, time.process_time() - c0)
                best_wall = min(best_wall, time.perf_counter() - t0)
            cpu.append(best_cpu * 1000)
            wall.append(best_wall * 1000)

    def pct(times: list[float], q: float) -> float:
        return round(sorted(times)[min(len(times) - 1, int(len(times) * q))], 2)

    return {"requests": len(prompts), "cpu_ms_p50": pct(cpu, 0.5), "cpu_ms_p95": pct(cpu, 0.95),
            "wall_ms_p50": pct(wall, 0.5), "wall_ms_p95": pct(wall, 0.95)}


def ordinary_refused(prompts: list[str]) -> list[str]:
    """The ordinary prompts the screen refuses at standard with the shipped classifier beside the rules."""
    from codehone.blocks.safety.request_screen import screen

    with using(model()):
        return [text for text in prompts if screen(text, "standard").action == "refuse"]


def estimate(fitted) -> dict:  # noqa: ANN001 - a RequestModel
    """The out-of-set figures at both levels (from what ``fitted``'s training scored out of set: each
    set's P(unsafe) by a model trained without it, the rules' actions, blind where known at a level
    with a veto), as shipped (threshold and veto), with the thresholds alone chosen by the worst set and
    by the pooled sets, and the rules alone."""
    scored = fitted.figures["scored"]
    by_id = {r["id"]: r for r in training_rows() if r.get("dev_set")}
    dev, probs = [by_id[i] for i in scored["ids"]], scored["probs"]
    out = {"dev_rows": len(dev), "levels": {}}
    for level in lso.LEVELS:
        actions = scored["rules"][level]
        entry = {"rules": lso.screen_figures(dev, actions),
                 "shipped": {"threshold": fitted.thresholds[level], "veto": fitted.vetoes.get(level, 0.0),
                             **fitted.figures["leave_one_set_out"][level]}}
        for how, pooled in (("worst_set", False), ("pooled", True)):
            t = lso.choose_threshold(dev, actions, probs, SAFE_REFUSED_TARGET[level], MIN_THRESHOLD, pooled)
            entry[how] = {"threshold": t, **lso.screen_figures(dev, lso.final_actions(actions, probs, t))}
        out["levels"][level] = entry
    return out


def _line(name: str, f: dict) -> str:
    return (f"{name:14} caught {f['unsafe_caught_pct']:5}% of {f['unsafe']:3}  "
            f"safe refused {f['safe_refused_pct']:4}% ({f['safe_refused']} of {f['safe']})")


def report(result: dict) -> None:
    for level, entry in result["levels"].items():
        for how in ("rules", "shipped", "worst_set", "pooled"):
            f = entry[how]
            print(f"\n{level} {how}" + (f" threshold {f['threshold']}" if "threshold" in f else "")
                  + (f" veto {f['veto']}" if f.get("veto") else ""))
            print("  " + _line("all", f["all"]))
            for k, s in f["sets"].items():
                print("  " + _line(f"set {k}", s))
            for lang, s in f["languages"].items():
                print("  " + _line(lang, s))
            for cat, s in f["categories"].items():
                print("  " + _line(cat, s))
            print("  safe refused by category:", f["safe_refused_by_category"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2, help="timings: best of N per request")
    parser.add_argument("--timed", type=int, default=300, help="timings: every k-th request, k chosen to time about N")
    parser.add_argument("--rows-dir", type=Path, default=None, help="other hand-written rows (a 'before' figure)")
    parser.add_argument("--name", default="safety_leave_set_out", help="results/<name>.json")
    args = parser.parse_args()
    if args.rows_dir is not None:
        classifier.ROWS_DIR = args.rows_dir
    t0 = time.perf_counter()
    fitted = model()  # trains (or loads) the model: its training scores each development set out of set
    result = {"load_or_train_seconds": round(time.perf_counter() - t0, 1),
              **{k: v for k, v in fitted.figures.items() if k not in ("scored", "leave_one_set_out")}}
    result.update(estimate(fitted))
    prompts = ordinary_prompts()
    result["ordinary"] = {"prompts": len(prompts), "refused": ordinary_refused(prompts)}
    timed = [r["prompt"] for r in training_rows() if r.get("dev_set")] + prompts
    result["timing"] = timings(timed[:: max(1, len(timed) // args.timed)], args.repeat)
    save(args.name, result)
    report(result)
    print(f"\nshipped thresholds {fitted.thresholds}; trained in {fitted.figures['train_seconds']} s; ordinary prompts "
          f"refused {len(result['ordinary']['refused'])}/{len(prompts)}: {result['ordinary']['refused']}")
    print(f"screen + classifier: {result['timing']}")


if __name__ == "__main__":
    main()
