"""The hostile suite, run as root and as an ordinary user: both pass, with identical verdicts.

Root gets the namespaces level, the ordinary user (``codehone-sbx-test``, see
tests/support/unprivileged.py) user namespaces or bwrap; a program must be classified the same way
at every level. The suite writes its verdicts ({name: status}) to $CODEHONE_HOSTILE_VERDICTS.
About a minute on a 2-core machine (the suite twice).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.unprivileged import ROOT, Unavailable, ensure_user, run_as_unprivileged

SUITE = "tests/integration/eval/test_eval_hostile.py"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
ARGS = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", SUITE]


def test_hostile_suite_gives_the_same_verdicts_as_root_and_as_a_user(tmp_path):
    try:
        user = ensure_user()
    except Unavailable as e:
        pytest.skip(f"cannot run as an unprivileged user here: {e}")
    as_user = Path(tempfile.mkdtemp(prefix="codehone-hostile-"))  # pytest's own tmp dirs are root's alone
    os.chown(as_user, user.pw_uid, user.pw_gid)
    root_file, user_file = tmp_path / "root.json", as_user / "verdicts.json"
    env = {k: v for k, v in os.environ.items() if k != "CODEHONE_SANDBOX"}
    root = subprocess.run([PYTHON, *ARGS], env={**env, "CODEHONE_HOSTILE_VERDICTS": str(root_file)}, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert root.returncode == 0, root.stdout[-4000:] + root.stderr[-2000:]
    if not root_file.exists():
        pytest.skip(f"{SUITE} does not write $CODEHONE_HOSTILE_VERDICTS (yet)")
    mine = run_as_unprivileged([PYTHON, *ARGS], {"CODEHONE_HOSTILE_VERDICTS": str(user_file)}, timeout=600)
    assert mine.returncode == 0, mine.stdout[-4000:] + mine.stderr[-2000:]
    root_verdicts = json.loads(root_file.read_text())
    user_verdicts = json.loads(user_file.read_text())
    shutil.rmtree(as_user, ignore_errors=True)
    assert root_verdicts, "no verdicts recorded"
    assert user_verdicts == root_verdicts
