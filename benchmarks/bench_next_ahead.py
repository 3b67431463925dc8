"""How long a child waits for next-block ideas in the studio, with and without ideas worked out ahead.

The real studio app (its routes, queue and the real model) driven through HTTP in-process, as a
child who uses ideas: for each ``blocks-next`` program, with the request it was written for,

1. ask for ideas (nothing can have been guessed yet: this is the cold wait),
2. look at them for THINK seconds, add one (``--pick``, the best by default),
3. look at the longer program for THINK seconds, ask for ideas again: **the wait timed here**,

then let the background guesses finish before the next program, so each program starts on an idle
model. With ``--scenario chat`` the program comes from the chat instead, as a child gets one: the
request is typed (the real chat route, the model writes the program), the child looks at it for
THINK seconds and asks for ideas, in a tab that has asked for ideas before. The same flow runs with
``--no-next-ahead`` (THINK 0: without guesses the wait does not depend on it) as the baseline, on
the same loaded model, in one run. ``--scenario interrupt`` times something else: a child's request
that comes 0.2 s into a running guess, with the guess stopped at its next step (what the routes
do) and left to finish.

    .venv/bin/python benchmarks/bench_next_ahead.py --adapter runs/long21/export/adapter.gguf [--limit 40] [--think 0,0.5,1,2] [--scenario add|chat]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from _common import save

SESSION = "bench-next-ahead"


def _tasks(limit: int) -> list[tuple[str, str]]:
    """(program, request) of ``limit`` blocks-next tasks spread over the set (every k-th, in file order)."""
    from codehone.blocks.copilot.next_bench import benchmark_path, source_requests
    from codehone.runs import read_jsonl

    tasks, requests = list(read_jsonl(benchmark_path())), source_requests()
    step = max(1, len(tasks) // limit)
    return [(t["program"], requests[t["source_task"]]) for t in tasks[::step][:limit]]


def _settle(studio) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    while studio.queue.running or studio.queue.waiting:
        time.sleep(0.02)
    return time.perf_counter() - t0


def _timed_ideas(client) -> tuple[dict, float]:  # noqa: ANN001
    t0 = time.perf_counter()
    r = client.post("/api/next", json={"session": SESSION})
    r.raise_for_status()
    return r.json(), time.perf_counter() - t0


def _one_program(client, studio, program: str, request: str, think: float, pick: int) -> dict | None:  # noqa: ANN001
    from codehone.blocks.lang.parser import parse
    from codehone.blocks.lang.printer import format_program

    conv = studio.conversations.get(SESSION)
    conv.program = format_program(parse(program))  # as if the child's chat turn had written it
    conv.turns = [{"prompt": request, "program": conv.program}]
    first, cold = _timed_ideas(client)
    if len(first["suggestions"]) <= pick:
        _settle(studio)
        return None
    time.sleep(think)
    client.post("/api/next/add", json={"session": SESSION, "index": pick}).raise_for_status()
    time.sleep(think)
    second, wait = _timed_ideas(client)
    behind = _settle(studio)  # the guesses still running when the child got the ideas
    return {"first_s": cold, "wait_s": wait, "ahead": second["ahead"], "background_s": behind}


def _one_chat(client, studio, program: str, request: str, think: float, pick: int) -> dict | None:  # noqa: ANN001, ARG001
    client.post("/api/reset", json={"session": SESSION}).raise_for_status()
    t0 = time.perf_counter()
    r = client.post("/api/chat", json={"session": SESSION, "prompt": request})
    r.raise_for_status()
    chat_s = time.perf_counter() - t0
    if "program" not in json.loads(r.text.strip().splitlines()[-1]):  # refused or muddled: no ideas to ask for
        _settle(studio)
        return None
    time.sleep(think)
    ideas, wait = _timed_ideas(client)
    behind = _settle(studio)
    return {"first_s": chat_s, "wait_s": wait, "ahead": ideas["ahead"], "background_s": behind}


def _interrupt(backend, tasks, stop_guess: bool) -> dict:  # noqa: ANN001
    """How long a child's request waits when it arrives 0.2 s into a running guess: with the guess
    stopped at its next step (what the routes do), or left to finish (before guesses had a check)."""
    from codehone.blocks.studio.copilot import Studio, StudioSettings

    async def run() -> list[float]:
        studio, delays = Studio(backend, StudioSettings()), []
        for program, request in tasks:
            studio.ahead.guess(SESSION, [program], request)
            await asyncio.sleep(0.2)
            t0 = time.perf_counter()
            if stop_guess:
                studio.ahead.make_way()
            _job, started = studio.queue.submit(lambda job: time.perf_counter())
            delays.append(await started - t0)
            while studio.queue.running or studio.queue.waiting:
                await asyncio.sleep(0.02)
        studio.queue.close()
        return delays

    delays = sorted(asyncio.run(run()))
    return {"scenario": "interrupt", "guess_stopped": stop_guess, "programs": len(delays),
            "wait_p50_ms": round(1000 * statistics.median(delays)),
            "wait_p90_ms": round(1000 * delays[int(0.9 * (len(delays) - 1))]),
            "under_150ms": sum(d <= 0.150 for d in delays)}


def _summary(rows: list[dict]) -> dict:
    """The timed waits, and the first request's time: ideas asked cold (add), or the chat turn (chat)."""
    waits = sorted(r["wait_s"] for r in rows)
    return {"programs": len(rows), "served_ahead": sum(r["ahead"] for r in rows),
            "wait_p50_ms": round(1000 * statistics.median(waits)),
            "wait_p90_ms": round(1000 * waits[int(0.9 * (len(waits) - 1))]),
            "first_p50_ms": round(1000 * statistics.median(r["first_s"] for r in rows)),
            "under_150ms": sum(w <= 0.150 for w in waits)}


def _flow(backend, tasks, next_ahead: bool, think: float, pick: int, scenario: str) -> dict:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from codehone.blocks.studio.app import StudioSettings, create_app

    app = create_app(backend, StudioSettings(next_ahead=next_ahead))
    one = _one_chat if scenario == "chat" else _one_program
    rows = []
    with TestClient(app) as client:
        studio = app.state.studio
        studio.warm_up()  # as `codehone blocks studio` does: the chat's prompt cached and kept aside
        if scenario == "chat":  # a tab that has asked for ideas before
            _one_program(client, studio, tasks[0][0], tasks[0][1], 0.0, pick)
        for k, (program, request) in enumerate(tasks):
            row = one(client, studio, program, request, think, pick)
            if row is not None:
                rows.append(row)
            print(f"\r{'ahead' if next_ahead else 'off'} think {think} s: {k + 1}/{len(tasks)}", end="", flush=True)
    print()
    return {"scenario": scenario, "next_ahead": next_ahead, "think_s": think, **_summary(rows)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter")
    ap.add_argument("--limit", type=int, default=40, help="blocks-next programs, spread over the set")
    ap.add_argument("--think", default="0,0.5,1,2", help="seconds the child looks before each click")
    ap.add_argument("--pick", type=int, default=0, help="which idea the child adds (0: the best)")
    ap.add_argument("--scenario", choices=("add", "chat", "interrupt"), default="add",
                    help="where the program comes from: an added idea, or a chat turn; or, interrupt: how long a "
                         "child's request waits when it comes while a guess runs")
    ap.add_argument("--name", default="next_ahead")
    args = ap.parse_args()

    from codehone.backends import load_backend

    tasks = _tasks(args.limit)
    backend = load_backend(args.model, adapter=args.adapter)
    try:
        if args.scenario == "interrupt":
            rows = [_interrupt(backend, tasks, stop) for stop in (False, True)]
            for r in rows:
                print(f"guess {'stopped' if r['guess_stopped'] else 'left to finish'}: the child's request waits "
                      f"p50 {r['wait_p50_ms']} ms, p90 {r['wait_p90_ms']} ms")
            save(args.name, {"model": args.model, "adapter": args.adapter, "limit": args.limit, "rows": rows})
            return
        rows = [_flow(backend, tasks, False, 0.0, args.pick, args.scenario)]
        rows += [_flow(backend, tasks, True, float(t), args.pick, args.scenario) for t in args.think.split(",")]
    finally:
        backend.close()
    for r in rows:
        print(f"{'ahead' if r['next_ahead'] else 'off':5} think {r['think_s']:3} s: wait p50 {r['wait_p50_ms']} ms, "
              f"p90 {r['wait_p90_ms']} ms, {r['served_ahead']}/{r['programs']} served ahead, "
              f"{r['under_150ms']} under 150 ms (first request p50 {r['first_p50_ms']} ms)")
    save(args.name, {"model": args.model, "adapter": args.adapter, "limit": args.limit, "pick": args.pick,
                     "scenario": args.scenario, "rows": rows})


if __name__ == "__main__":
    main()
