"""core.progress: a log (not a terminal) gets periodic plain lines, not silence until the end."""

import io

from codehone.core.progress import ProgressBar


def test_not_a_terminal_prints_lines_while_running():
    out = io.StringIO()
    with ProgressBar("repo eval", total=4, unit="tasks", stream=out, interval=0.0) as bar:
        bar.advance(stats="em 0.50")
        assert "[repo eval] 1/4 tasks  25%" in out.getvalue()
        assert "em 0.50" in out.getvalue()
        bar.advance()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # one per advance (interval 0) and the closing line
    assert lines[-1].startswith("[repo eval] 2/4 tasks  50%")


def test_interval_limits_lines_and_resumed_work_is_counted():
    out = io.StringIO()
    with ProgressBar("train", total=10, completed=6, stream=out, interval=3600) as bar:
        for _ in range(3):
            bar.advance()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("[train] 9/10  90%")


def test_disabled_prints_nothing():
    out = io.StringIO()
    with ProgressBar("x", total=2, stream=out, enabled=False, interval=0.0) as bar:
        bar.advance(2)
    assert out.getvalue() == ""


def test_terminal_uses_rich_bar():
    out = io.StringIO()
    with ProgressBar("data", total=3, stream=out, terminal=True) as bar:
        bar.advance(3)
    assert "data" in out.getvalue() and "3/3" in out.getvalue()
