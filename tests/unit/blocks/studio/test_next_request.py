"""The studio's ghost blocks are asked with what the child asked for (studio/skills.requests_so_far):
the prompts of the turns that wrote or changed the program, since an .sb3 was last opened."""

from codehone.blocks.studio.skills import requests_so_far


def test_the_requests_since_the_program_was_last_opened_oldest_first():
    turns = [{"prompt": "draw a cat", "program": "p0"},
             {"opened": True, "program": "p1"},
             {"prompt": "draw a square", "program": "p2"},
             {"prompt": "say hi", "message": "refused or answered in words: no program"},
             {"prompt": "now make it red", "program": "p3"},
             {"added_next_block": True, "program": "p4"}]
    assert requests_so_far(turns) == "draw a square; now make it red"
    assert requests_so_far([]) == "" and requests_so_far([{"opened": True, "program": "p"}]) == ""
