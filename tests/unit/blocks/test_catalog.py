"""The catalogue is the one list every part of codehone.blocks agrees on."""

import json
from importlib import resources

import pytest

from codehone.blocks.lang.catalog import load_catalog, parse_catalog
from codehone.blocks.runtime import ops


def test_catalog_covers_the_required_subset():
    cat = load_catalog()
    assert len([s for s in cat.blocks.values() if s.shape != "internal"]) >= 60
    for opcode in ["event_whenflagclicked", "event_whenkeypressed", "event_whenthisspriteclicked",
                   "looks_say", "looks_sayforsecs", "looks_think", "looks_show", "looks_hide", "looks_setsizeto",
                   "looks_switchcostumeto", "pen_penDown", "pen_penUp", "pen_clear", "pen_setPenColorToColor",
                   "pen_setPenSizeTo", "control_repeat", "control_forever", "control_if", "control_if_else",
                   "control_wait", "control_repeat_until", "control_stop", "data_setvariableto",
                   "data_changevariableby", "sensing_askandwait", "sensing_answer", "sensing_mousex",
                   "sensing_mousey", "sensing_touchingobject", "procedures_definition", "procedures_prototype",
                   "procedures_call"]:
        assert opcode in cat.blocks, opcode


@pytest.mark.parametrize("opcode,name,inputs", [
    ("motion_movesteps", "move", ["STEPS"]),
    ("motion_turnright", "turn_right", ["DEGREES"]),
    ("motion_gotoxy", "go_to_xy", ["X", "Y"]),
    ("motion_pointindirection", "point_in_direction", ["DIRECTION"]),
    ("looks_sayforsecs", "say_for_secs", ["MESSAGE", "SECS"]),
    ("control_repeat", "repeat", ["TIMES"]),
    ("sensing_askandwait", "ask", ["QUESTION"]),
    ("operator_join", "join", ["STRING1", "STRING2"]),
    ("operator_gt", "gt", ["OPERAND1", "OPERAND2"]),
    ("data_setvariableto", "set_variable", ["VARIABLE", "VALUE"]),
    ("pen_setPenColorToColor", "set_pen_color_to", ["COLOR"]),
])
def test_scratch_names_and_text_spellings(opcode, name, inputs):
    spec = load_catalog().spec(opcode)
    assert spec.name == name
    assert [a.name for a in spec.args] == inputs


def test_every_block_has_behaviour_in_exactly_one_table():
    tables = [set(ops.STATEMENTS), set(ops.FLOW), set(ops.REPORTERS), set(ops.HATS)]
    for opcode, spec in load_catalog().blocks.items():
        assert sum(opcode in t for t in tables) == 1, opcode
        if spec.is_expression:
            assert opcode in ops.REPORTERS, opcode
    assert set().union(*tables) <= set(load_catalog().blocks)


def test_shapes_and_menus_are_consistent():
    cat = load_catalog()
    for spec in cat.blocks.values():
        assert bool(spec.substacks) == (spec.shape == "c-block"), spec.opcode
        for a in spec.args:
            if a.type == "menu":
                assert a.menu and a.menu_field, spec.opcode
            if a.kind == "input" and a.type not in ("menu", "boolean"):
                assert a.type in cat.primitive_codes, (spec.opcode, a.type)


def test_duplicate_text_names_are_rejected():
    data = json.loads(resources.files("codehone.blocks.lang").joinpath("catalog.json").read_text())
    data["blocks"].append(dict(data["blocks"][0], opcode="event_other"))
    with pytest.raises(ValueError, match="duplicate text name"):
        parse_catalog(data)
