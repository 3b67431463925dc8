"""Refresh the vendored scratchblocks (the studio draws blocks with it) at the pinned version.

    python scripts/refresh_scratchblocks.py [--version 3.7.1]

Needs node and npm (the npm registry). It writes, under src/codehone/blocks/studio/:
- static/vendor/scratchblocks/scratchblocks.min.js, LICENSE, VERSION: the library as published;
- static/vendor/scratchblocks/scratchblocks.css: the stylesheet the library would inject as a
  <style> element at run time. The studio's Content-Security-Policy forbids inline styles, so the
  same CSS is served as a file (the injected element is refused and does no harm);
- scratchblocks_specs.json: the library's own English spec ("move %1 steps") and input kinds for
  each opcode of codehone's catalogue, so our printer writes text the library parses as the same
  block. Opcodes the library names differently (the pen extension, the operators) are mapped in
  ALIASES; catalogue opcodes with no library entry are printed by hand in the printer.

The library is used unchanged: nothing in the vendored files is edited.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / "src" / "codehone" / "blocks" / "studio"
VENDOR = STUDIO / "static" / "vendor" / "scratchblocks"
CATALOG = ROOT / "src" / "codehone" / "blocks" / "lang" / "catalog.json"
PINNED = "3.7.1"

# catalogue opcode -> the library's command id, where upper-casing the opcode does not give it
ALIASES = {
    "pen_clear": "pen.clear", "pen_stamp": "pen.stamp", "pen_penDown": "pen.penDown", "pen_penUp": "pen.penUp",
    "pen_setPenColorToColor": "pen.setColor", "pen_changePenColorParamBy": "pen.changeColorParam",
    "pen_setPenColorParamTo": "pen.setColorParam", "pen_changePenSizeBy": "pen.changeSize",
    "pen_setPenSizeTo": "pen.setSize", "control_wait_until": "CONTROL_WAITUNTIL",
    "control_repeat_until": "CONTROL_REPEATUNTIL", "control_if_else": "CONTROL_IF",
    "operator_letter_of": "OPERATORS_LETTEROF",
}

DUMP = """
import commands from "{pkg}/syntax/commands.js";
import s2 from "{pkg}/scratch2/style.css.js";
import s3 from "{pkg}/scratch3/style.css.js";
process.stdout.write(JSON.stringify({{commands, css: s2 + "\\n" + s3}}));
"""


def library_id(opcode: str) -> str:
    if opcode in ALIASES:
        return ALIASES[opcode]
    if opcode.startswith("operator_"):
        return "OPERATORS_" + opcode[len("operator_"):].replace("_", "").upper()
    return opcode.upper()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default=PINNED)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"scratchblocks@{args.version}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(next(Path(tmp).glob("scratchblocks-*.tgz"))) as tar:
            tar.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        script = Path(tmp) / "dump.mjs"
        script.write_text(DUMP.format(pkg=pkg.as_posix()))
        dumped = json.loads(subprocess.run(["node", str(script)], check=True, capture_output=True, text=True).stdout)
        VENDOR.mkdir(parents=True, exist_ok=True)
        shutil.copy(pkg / "build" / "scratchblocks.min.js", VENDOR / "scratchblocks.min.js")
        shutil.copy(pkg / "LICENSE", VENDOR / "LICENSE")
    (VENDOR / "VERSION").write_text(f"scratchblocks {args.version} (npm), MIT licence: see LICENSE\n")
    (VENDOR / "scratchblocks.css").write_text(dumped["css"])
    commands = {c["id"]: c for c in dumped["commands"] if c.get("id")}
    specs, missing = {}, []
    for block in json.loads(CATALOG.read_text())["blocks"]:
        cmd = commands.get(library_id(block["opcode"]))
        if cmd is None:
            missing.append(block["opcode"])
            continue
        specs[block["opcode"]] = {"spec": cmd["spec"], "inputs": cmd["inputs"]}
    out = {"about": f"scratchblocks {args.version} syntax/commands.js, by codehone opcode "
                    "(scripts/refresh_scratchblocks.py writes this file)", "specs": specs}
    (STUDIO / "scratchblocks_specs.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"scratchblocks {args.version}: {len(specs)} opcodes mapped; printed by hand: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
