"""issue 22 figure: HumanEval generation against one OpenAI-compatible server, --concurrency 4
against --concurrency 1, same run, same server.

Starts ``python -m llama_cpp.server`` on the default model on loopback, then generates greedy
samples for the first ``--tasks`` HumanEval tasks through codehone's HTTP backend at each
concurrency in turn (fresh output directories, rounds alternating so load drifts hit both), and
reports completion tokens per second and the ratio. Also checks the two runs wrote the same
completions (greedy: the order requests are served in must not change an answer).

    .venv/bin/python benchmarks/bench_eval_concurrency.py --tasks 20 --max-tokens 128
    .venv/bin/python benchmarks/bench_eval_concurrency.py --llama-server PATH/llama-server --parallel 4

The server is llama-cpp-python's (one request at a time: it has no parallel slots), or with
``--llama-server`` llama.cpp's own ``llama-server`` binary with ``--parallel N`` slots, which
batches the requests in flight into one decode (continuous batching). llama-cpp-python ships the
same llama.cpp source it binds, so the binary is built from its sdist (docs/benchmarks.d/eval.md).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import default_model_path, save  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(model: str, port: int, n_ctx: int, llama_server: str | None = None,
                 parallel: int = 4) -> subprocess.Popen:
    import httpx

    if llama_server:  # each of the N slots gets n_ctx / N tokens of context, so the context grows with N
        cmd = [llama_server, "-m", model, "--host", "127.0.0.1", "--port", str(port), "-c", str(n_ctx * parallel),
               "--parallel", str(parallel), "-t", str(os.cpu_count() or 2), "--no-webui", "--log-disable"]
    else:
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1", "--port", str(port),
               "--n_ctx", str(n_ctx), "--verbose", "false"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"{cmd[0]} did not start in 120 s")


def one_run(url: str, concurrency: int, tasks: int, max_tokens: int) -> tuple[dict, dict]:
    from codehone.backends.base import SamplingParams
    from codehone.backends.http import HttpBackend
    from codehone.eval.generate import generate_samples
    from codehone.runs import read_jsonl

    out = Path(tempfile.mkdtemp(prefix=f"bench-conc{concurrency}-"))
    backend = HttpBackend(url)
    t0 = time.perf_counter()
    generate_samples(backend, "humaneval", out, chat=True, limit=tasks, progress=False, concurrency=concurrency,
                     params=SamplingParams(max_tokens=max_tokens, temperature=0.0))
    seconds = time.perf_counter() - t0
    backend.close()
    rows = list(read_jsonl(out / "samples.jsonl"))
    tokens = sum(r["tokens"] for r in rows)
    answers = {r["task_id"]: r["raw"] for r in rows}
    return {"concurrency": concurrency, "seconds": round(seconds, 2), "completion_tokens": tokens,
            "tokens_per_second": round(tokens / seconds, 2)}, answers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=1, help="pairs of runs (1 then 4, alternating)")
    ap.add_argument("--n-ctx", type=int, default=4096, help="context per request")
    ap.add_argument("--llama-server", help="path of llama.cpp's llama-server binary (else llama_cpp.server)")
    ap.add_argument("--parallel", type=int, default=4, help="llama-server's slots")
    args = ap.parse_args()
    model = default_model_path()
    port = free_port()
    load_before = os.getloadavg()
    proc = start_server(model, port, args.n_ctx, args.llama_server, args.parallel)
    url = f"http://127.0.0.1:{port}/v1"
    runs, answers = [], {}
    try:
        one_run(url, 1, 1, 8)  # warm the server (model pages, first-request setup) outside the timings
        for r in range(args.rounds):
            for c in ((1, 4) if r % 2 == 0 else (4, 1)):
                figures, got = one_run(url, c, args.tasks, args.max_tokens)
                runs.append(figures)
                answers.setdefault(c, got)
                print(figures, flush=True)
    finally:
        proc.terminate()
        proc.wait(30)

    def rate(c: int) -> float:
        mine = [r for r in runs if r["concurrency"] == c]
        return sum(r["completion_tokens"] for r in mine) / sum(r["seconds"] for r in mine)

    same = sum(answers[1][t] == answers[4].get(t) for t in answers[1])
    save("bench_eval_concurrency" + ("_llama_server" if args.llama_server else ""), {
        "server": (f"llama.cpp llama-server --parallel {args.parallel}" if args.llama_server
                   else "llama_cpp.server (llama-cpp-python)") + " on the default model, loopback",
        "tasks": args.tasks, "max_tokens": args.max_tokens, "rounds": args.rounds, "runs": runs,
        "tokens_per_second": {"concurrency_1": round(rate(1), 2), "concurrency_4": round(rate(4), 2)},
        "ratio_4_over_1": round(rate(4) / rate(1), 3),
        "identical_answers": f"{same}/{len(answers[1])}",
        "load_avg_before": [round(x, 2) for x in load_before], "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    })


if __name__ == "__main__":
    main()
