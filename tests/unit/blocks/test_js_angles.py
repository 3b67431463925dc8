"""Angles convert the way scratch-vm's ``MathUtil`` converts them (``deg * PI / 180`` and
``rad * 180 / PI``), not as ``math.radians``/``math.degrees``: the two differ in the last bit,
and a bounce that should face -120 then shows "-120.00" in a bubble in Scratch (issue 17)."""

from codehone.blocks.runtime.interpreter import run_program


def test_bounce_direction_keeps_scratchs_last_bit():
    trace = run_program("when_flag_clicked():\n    point_in_direction(60)\n    repeat(40):\n"
                        "        move(15)\n        if_on_edge_bounce()\n    say(direction())\n")
    assert trace["said"] == ["-120.00"]  # scratch-vm 5.0.300: -119.99999999999997


def test_point_towards_uses_rad_to_deg():
    trace = run_program('sprite("A"):\n    when_flag_clicked():\n        wait(0)\n        point_towards("B")\n'
                        '        say(join("", direction()))\nsprite("B"):\n    when_flag_clicked():\n'
                        '        go_to_xy(-50, 50)\n')
    assert trace["said"] == ["-45"]
