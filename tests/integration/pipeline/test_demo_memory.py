"""The demo reports the peak resident memory of every step (issue 21: it must fit on an 8 GB
laptop), in its summary, its Markdown report and its HTML report."""

from __future__ import annotations

import numpy as np

from codehone.demo.pipeline import StepTimer
from codehone.demo.report import write_demo_report


def test_step_timer_records_each_steps_own_peak():
    timer = StepTimer(echo=lambda s: None)

    def big():
        block = np.ones(300 * 2**20, dtype=np.uint8)
        import time

        time.sleep(0.3)
        return int(block[0])

    timer.run("small", "a small step", lambda: None)
    assert timer.run("big", "a big step", big) == 1
    assert set(timer.peak_rss_gb) == {"small", "big"}
    assert timer.peak_rss_gb["big"] >= timer.peak_rss_gb["small"] + 0.25


def test_report_shows_the_peak_memory_of_every_step(tmp_path):
    seconds = {"fetch": 1.0, "data": 12.0, "eval_base_grammar": 30.0, "train": 600.0, "export": 5.0, "total": 648.0}
    peaks = {"fetch": 0.31, "data": 0.52, "eval_base_grammar": 1.27, "train": 4.86, "export": 3.03, "total": 4.91}
    result = {"model": "tiny", "adapter": "a.gguf", "evals": {}, "seconds": seconds, "peak_rss_gb": peaks}
    paths = write_demo_report(tmp_path, result)
    md, page = paths["md"].read_text(), paths["html"].read_text()
    for step, gb in peaks.items():
        assert f"{step} {gb:.2f}" in md
        assert f"<td>{step}</td><td>{seconds[step]:.0f} s</td><td>{gb:.2f} GB</td>" in page
