"""The studio in a real browser over the demo's tasks: time to the first block, to the whole program,
requests to other hosts, and page weight (issue 20's figures).

    .venv/bin/python benchmarks/bench_studio.py --adapter RUN/export/adapter.gguf [--limit 40] [--screenshots docs/studio]

A studio on the given model runs in this process (uvicorn on a free loopback port) and Debian's
chromium, headless, types each of the demo's ``--limit`` ``blocks`` tasks into the page as a new
conversation and presses Enter. The page itself timestamps each turn (``window.studioStats``, with
``performance.now()``): from the Enter key to the first block drawn on screen, and to the end of
the answer (the whole program drawn and its run loaded on the stage). Every request the browser
makes is recorded; page weight is the encoded size of the page and everything it loaded. With
``--screenshots DIR`` it saves ``mid-stream.png`` (blocks arriving) and ``stage.png`` (a finished
drawing) for the README.

Result: benchmarks/results/studio.json. Figures to reach: first block p50 <= 1.0 s, whole program
p50 <= 4.0 s, 0 requests to other hosts, page weight <= 1.5 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from urllib.parse import urlparse

from _common import save

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support.browser: the tests' harness

PAGE_WEIGHT = """(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {page: nav.encodedBodySize, files: res.map(r => [r.name, r.encodedBodySize])};
})()"""
TURN = "window.studioStats.turns[window.studioStats.turns.length - 1]"


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def _one_task(page, prompt: str, shots: Path | None, shoot_mid: bool) -> dict:  # noqa: ANN001
    from tests.support.browser import wait_until

    n = page.evaluate("window.studioStats.turns.length")
    page.fill("#prompt", prompt)
    page.press("#prompt", "Enter")
    wait_until(page, f"window.studioStats.turns.length > {n}", timeout=30)
    if shoot_mid:  # blocks arriving: a few on screen, the answer not yet done
        try:
            wait_until(page, f"{TURN}.count >= 3 || {TURN}.done !== null", timeout=120, every=0.02)
            page.screenshot(path=str(shots / "mid-stream.png"))
        except TimeoutError:
            pass
    turn = wait_until(page, f"{TURN}.done !== null && {TURN}", timeout=300)
    first = (turn["firstBlock"] - turn["enter"]) / 1000 if turn["firstBlock"] is not None else None
    return {"prompt": prompt, "ok": turn["ok"], "blocks": turn["count"], "first_block_s": first,
            "whole_program_s": (turn["done"] - turn["enter"]) / 1000}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter (the demo's: RUN/export/adapter.gguf)")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--screenshots", type=Path, default=None, help="save mid-stream.png and stage.png here")
    args = ap.parse_args()

    from codehone.backends import load_backend
    from codehone.blocks.copilot.dataset import load_benchmark
    from codehone.demo.pipeline import demo_tasks
    from tests.support.browser import browser, running_studio, wait_until

    tasks = {t["task_id"]: t for t in load_benchmark()}
    chosen = [tasks[i] for i in demo_tasks(args.limit)]
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    backend = load_backend(args.model, adapter=Path(args.adapter) if args.adapter else None)
    rows, requests = [], []
    try:
        with running_studio(backend) as url, browser() as chromium:
            page = chromium.new_page(viewport={"width": 1400, "height": 860})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url + "/")
            page.wait_for_selector("#log li")
            weight = page.evaluate(PAGE_WEIGHT)
            for i, task in enumerate(chosen):
                page.click("#new")
                row = _one_task(page, task["prompt"], args.screenshots, shoot_mid=bool(args.screenshots) and i == 0)
                rows.append({"task_id": task["task_id"], **row})
                print(f"[{i + 1}/{len(chosen)}] {task['task_id']}: first block {row['first_block_s']} s, "
                      f"whole {row['whole_program_s']:.2f} s, {row['blocks']} blocks, ok={row['ok']}", flush=True)
                if args.screenshots and i == 0 and row["ok"]:
                    wait_until(page, "document.getElementById('stage-note').textContent !== ''", timeout=120)
                    page.screenshot(path=str(args.screenshots / "stage.png"))
    finally:
        backend.close()
    origin = urlparse(url).netloc
    other = sorted({u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != origin})
    first = [r["first_block_s"] for r in rows if r["first_block_s"] is not None]
    whole = [r["whole_program_s"] for r in rows]
    total_bytes = weight["page"] + sum(size for _name, size in weight["files"])
    save("studio", {
        "model": args.model, "adapter": args.adapter, "tasks": len(rows),
        "answers_with_a_program": sum(r["ok"] for r in rows),
        "first_block_s": {"p50": _p(first, 0.5), "p90": _p(first, 0.9), "mean": round(statistics.mean(first), 3) if first else None},
        "whole_program_s": {"p50": _p(whole, 0.5), "p90": _p(whole, 0.9), "mean": round(statistics.mean(whole), 3)},
        "requests": len(requests), "requests_to_other_hosts": len(other), "other_hosts": other,
        "page_weight_bytes": total_bytes, "page_files": weight["files"],
        "rows": rows,
    })
    print(json.dumps({"first_block_p50": _p(first, 0.5), "whole_p50": _p(whole, 0.5), "other_hosts": len(other),
                      "page_kb": round(total_bytes / 1024, 1)}))


if __name__ == "__main__":
    main()
