"""Text <-> .sb3: schema-valid projects, exact round trips, and errors that name the block."""

import hashlib
import io
import json
import zipfile

import pytest

from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.sb3.read import read_sb3, sb3_to_program
from codehone.blocks.sb3.validate import Sb3Error, validate_project
from codehone.blocks.sb3.write import program_to_project, program_to_sb3, write_sb3

from .examples import ALL, GREETING, HEXAGON, SQUARE_PROC


@pytest.mark.parametrize("name", sorted(ALL))
def test_text_to_sb3_to_text_is_unchanged(name):
    data = program_to_sb3(parse(ALL[name]))  # validates against Scratch's schema on the way
    assert format_program(sb3_to_program(data)) == ALL[name]


def _project(text):
    project, _ = program_to_project(parse(text))
    validate_project(project)
    return project


def test_blocks_are_linked_like_the_editor_saves_them():
    project = _project(HEXAGON)
    stage, sprite = project["targets"]
    assert stage["isStage"] and not sprite["isStage"]
    blocks = sprite["blocks"]
    tops = [b for b in blocks.values() if b["topLevel"]]
    assert len(tops) == 1 and tops[0]["opcode"] == "event_whenflagclicked" and "x" in tops[0]
    for bid, b in blocks.items():  # every link points back
        if b["next"]:
            assert blocks[b["next"]]["parent"] == bid
        for inp in b["inputs"].values():
            for ref in inp[1:]:
                if isinstance(ref, str):
                    assert blocks[ref]["parent"] == bid
    repeat = next(b for b in blocks.values() if b["opcode"] == "control_repeat")
    assert repeat["inputs"]["TIMES"] == [1, [6, "6"]]
    move = blocks[repeat["inputs"]["SUBSTACK"][1]]
    assert move["opcode"] == "motion_movesteps" and move["inputs"]["STEPS"] == [1, [4, "50"]]
    assert project["extensions"] == ["pen"]


def test_reporters_keep_a_shadow_and_variables_are_global():
    project = _project('when_flag_clicked():\n    set_variable("n", 1)\n    say(variable("n"))\n'
                       '    say(join("a", answer()))\n    go_to("mouse-pointer")\n')
    stage, sprite = project["targets"]
    assert list(stage["variables"].values()) == [["n", 0]]
    vid = next(iter(stage["variables"]))
    blocks = sprite["blocks"]
    says = [b for b in blocks.values() if b["opcode"] == "looks_say"]
    assert says[0]["inputs"]["MESSAGE"] == [3, [12, "n", vid], [10, "Hello!"]]
    assert says[1]["inputs"]["MESSAGE"][0] == 3 and blocks[says[1]["inputs"]["MESSAGE"][1]]["opcode"] == "operator_join"
    goto = next(b for b in blocks.values() if b["opcode"] == "motion_goto")
    menu = blocks[goto["inputs"]["TO"][1]]
    assert menu["shadow"] and menu["opcode"] == "motion_goto_menu" and menu["fields"]["TO"] == ["_mouse_", None]


def test_custom_blocks_carry_their_mutation():
    blocks = _project(SQUARE_PROC)["targets"][1]["blocks"]
    proto = next(b for b in blocks.values() if b["opcode"] == "procedures_prototype")
    call = next(b for b in blocks.values() if b["opcode"] == "procedures_call")
    assert proto["mutation"]["proccode"] == call["mutation"]["proccode"] == "square %s"
    assert json.loads(proto["mutation"]["argumentnames"]) == ["size"]
    assert proto["mutation"]["argumentids"] == call["mutation"]["argumentids"]
    (argid,) = json.loads(call["mutation"]["argumentids"])
    assert call["inputs"][argid] == [1, [10, 80]]


def test_sb3_zip_holds_project_and_md5_named_svgs(tmp_path):
    path = tmp_path / "p.sb3"
    write_sb3(parse(GREETING), path)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        project = json.loads(z.read("project.json"))
        for target in project["targets"]:
            costume = target["costumes"][0]
            data = z.read(costume["md5ext"])
            assert costume["md5ext"] in names and hashlib.md5(data).hexdigest() == costume["assetId"]
            assert data.startswith(b"<svg")
    assert program_to_sb3(parse(GREETING)) == path.read_bytes()  # deterministic bytes
    assert format_program(read_sb3(path)) == GREETING


def _zip(project) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("project.json", json.dumps(project))
    return buf.getvalue()


def _hexagon_project():
    return _project(HEXAGON)


def _find(project, opcode):
    blocks = project["targets"][1]["blocks"]
    return next(bid for bid, b in blocks.items() if b["opcode"] == opcode), blocks


def test_reads_uncompressed_shadows_as_the_editor_may_write_them():
    project = _hexagon_project()
    bid, blocks = _find(project, "motion_movesteps")
    blocks["shadow1"] = {"opcode": "math_number", "next": None, "parent": bid, "inputs": {},
                         "fields": {"NUM": ["50", None]}, "shadow": True, "topLevel": False}
    blocks[bid]["inputs"]["STEPS"] = [1, "shadow1"]
    assert format_program(sb3_to_program(_zip(project))) == HEXAGON


def test_bad_zip_and_missing_project_are_named():
    with pytest.raises(Sb3Error, match="not a zip"):
        sb3_to_program(b"hello")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("other.json", "{}")
    with pytest.raises(Sb3Error, match="no project.json"):
        sb3_to_program(buf.getvalue())
    with pytest.raises(Sb3Error, match="schema"):
        sb3_to_program(_zip({"targets": []}))


def test_unknown_opcode_names_the_block():
    project = _hexagon_project()
    bid, blocks = _find(project, "motion_turnright")
    blocks[bid]["opcode"] = "motion_teleport"
    with pytest.raises(Sb3Error, match=f"block '{bid}' \\(motion_teleport\\).*not support"):
        sb3_to_program(_zip(project))


def test_broken_next_link_names_the_block():
    project = _hexagon_project()
    bid, blocks = _find(project, "pen_penDown")
    blocks[bid]["next"] = "nowhere"
    with pytest.raises(Sb3Error, match=f"block '{bid}'.*'nowhere', which does not exist"):
        sb3_to_program(_zip(project))


def test_wrong_parent_and_loops_are_caught():
    project = _hexagon_project()
    bid, blocks = _find(project, "motion_turnright")
    blocks[bid]["parent"] = "elsewhere"
    with pytest.raises(Sb3Error, match=f"block '{bid}'.*parent"):
        sb3_to_program(_zip(project))
    project = _hexagon_project()
    bid, blocks = _find(project, "pen_penUp")
    first = _find(project, "pen_clear")[0]
    blocks[bid]["next"] = first
    with pytest.raises(Sb3Error, match="parent|loop"):
        sb3_to_program(_zip(project))


def test_schema_rejects_a_bad_asset_id():
    project = _hexagon_project()
    project["targets"][1]["costumes"][0]["assetId"] = "not-an-md5"
    with pytest.raises(Sb3Error, match="targets/1"):
        validate_project(project)
