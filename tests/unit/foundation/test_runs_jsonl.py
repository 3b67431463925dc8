"""JSONL files survive crashes: a torn line is never glued to the next row, and is dropped with a
warning naming the file and line (so the next run redoes that row), while an edited file is an error."""

import json
import warnings

import pytest

from codehone.runs import TornLineWarning, append_jsonl, read_jsonl, read_jsonl_numbered


def test_good_files_read_as_before(tmp_path):
    path = tmp_path / "rows.jsonl"
    rows = [{"a": 1}, {"text": "line\u2028separator\u0085and\x1cfriends"}, {"nested": {"x": [1, 2]}}]
    for r in rows:
        append_jsonl(path, r)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(read_jsonl(path)) == rows
        assert [i for i, _ in read_jsonl_numbered(path)] == [1, 2, 3]
    assert list(read_jsonl(tmp_path / "missing.jsonl")) == []


def test_append_after_a_torn_line_starts_a_new_line(tmp_path):
    path = tmp_path / "results.jsonl"
    append_jsonl(path, {"task_id": "t/0", "status": "passed"})
    with open(path, "ab") as f:
        f.write(b'{"task_id": "t/1", "sta')  # the process died here
    with pytest.warns(TornLineWarning, match=r"results\.jsonl:2: dropped a torn line"):
        assert [r["task_id"] for r in read_jsonl(path)] == ["t/0"]  # t/1 is redone
    append_jsonl(path, {"task_id": "t/1", "status": "failed"})
    append_jsonl(path, {"task_id": "t/2", "status": "passed"})
    assert path.read_bytes().count(b"\n") == 4
    with pytest.warns(TornLineWarning, match=r"results\.jsonl:2:"):
        assert [r["task_id"] for r in read_jsonl(path)] == ["t/0", "t/1", "t/2"]


@pytest.mark.parametrize("fragment", [b'{"a": {"b": 1}, "c": "x', b'{"text": "caf\xc3', b'{"a": [1, 2', b"{"])
def test_torn_lines_of_every_shape_are_dropped(tmp_path, fragment):
    path = tmp_path / "samples.jsonl"
    path.write_bytes(b'{"a": 0}\n' + fragment)
    with pytest.warns(TornLineWarning):
        assert list(read_jsonl(path)) == [{"a": 0}]
    append_jsonl(path, {"a": 2})
    with pytest.warns(TornLineWarning, match=":2:"):
        assert list(read_jsonl(path)) == [{"a": 0}, {"a": 2}]


def test_an_edited_line_is_still_an_error(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n{"a": 2,, "b": 3}\n{"a": 3}\n')
    with pytest.raises(ValueError, match=r"rows\.jsonl:2: not valid JSON"):
        list(read_jsonl(path))


def test_rows_are_written_whole(tmp_path):
    path = tmp_path / "rows.jsonl"
    append_jsonl(path, {"k": "v" * 10_000})
    assert json.loads(path.read_text()) == {"k": "v" * 10_000} and path.read_text().endswith("}\n")
