"""Example block programs in canonical form, shared by the round-trip tests and the benchmark.

Each one is printed exactly as ``format_program`` prints it, so ``print(parse(x)) == x`` and
text -> sb3 -> text must give ``x`` back unchanged.
"""

HEXAGON = '''when_flag_clicked():
    erase_all()
    pen_down()
    repeat(6):
        move(50)
        turn_right(60)
    pen_up()
'''

SQUARE_PROC = '''when_flag_clicked():
    go_to_xy(0, 0)
    point_in_direction(90)
    pen_down()
    call("square", 80)
define("square", "size"):
    repeat(4):
        move(arg("size"))
        turn_left(90)
'''

GREETING = '''when_flag_clicked():
    ask("What's your name?")
    say(join("Hello ", answer()))
'''

SPANISH = '''when_flag_clicked():
    ask("What is your name?")
    say_for_secs(join(join("Hola ", answer()), ", ¿cómo estás?"), 2)
'''

STAR = '''when_flag_clicked():
    set_pen_color_to("#ff0000")
    set_pen_size_to(3)
    pen_down()
    repeat(5):
        move(100)
        turn_right(144)
'''

TWO_SPRITES = '''sprite("Cat"):
    when_flag_clicked():
        say("Hi Dog!")
        wait(1)
        broadcast("your turn")
    when_i_receive("done"):
        say("Bye!")
sprite("Dog"):
    when_i_receive("your turn"):
        say("Woof!")
        wait(0.5)
        broadcast_and_wait("done")
        hide()
'''

BOUNCE = '''when_flag_clicked():
    point_in_direction(45)
    forever():
        move(10)
        if_on_edge_bounce()
        if_(touching("edge")):
            change_variable("bounces", 1)
'''

GAME = '''sprite("Player"):
    when_flag_clicked():
        set_variable("score", 0)
        go_to_xy(-200, 0)
        repeat_until(gt(variable("score"), 9)):
            change_x_by(10)
            change_variable("score", 1)
        if_(and_(gt(x_position(), 0), not_(lt(variable("score"), 10)))):
            say(join("Score: ", variable("score")))
        else_():
            think("Hmm...")
        stop("all")
    when_key_pressed("space"):
        change_y_by(10)
    when_this_sprite_clicked():
        set_size_to(mul_placeholder)
'''.replace("mul_placeholder", "multiply(size(), 1.5)")

MATH = '''when_flag_clicked():
    set_variable("x", pick_random(1, 10))
    say(round(divide(7, 2)))
    say(mod(-7, 3))
    say(math("sqrt", 16))
    say(letter_of(1, "apple"))
    say(length_of("apple"))
    if_(contains("banana", "nan")):
        say(subtract(add(1, 2), -3.5))
    wait_until(equals("a", "A"))
    say(mouse_x())
'''

LOOKS = '''when_flag_clicked():
    show()
    switch_costume_to("costume1")
    next_costume()
    change_size_by(10)
    change_effect_by("ghost", 25)
    set_effect_to("color", 50)
    clear_graphic_effects()
    set_rotation_style("left-right")
    go_to("random position")
    point_towards("mouse-pointer")
    set_x(10)
    set_y(-10.25)
    change_pen_by("color", 10)
    set_pen_to("transparency", 50)
    change_pen_size_by(1)
    stamp()
    glide_to_xy(1, 50, 50)
    reset_timer()
    say(timer())
    think_for_secs(distance_to("mouse-pointer"), 1)
    if_(or_(key_pressed("a"), mouse_down())):
    show_variable("score")
    hide_variable("score")
    say(direction())
    say(y_position())
    say(mouse_y())
    stop("other scripts in sprite")
    turn_left(15)
    stop("this script")
'''

WARP = '''when_flag_clicked():
    call("spiral %s times, fast %b", 20, gt(1, 0))
define("spiral %s times, fast %b", "n", "fast", warp=True):
    pen_down()
    repeat(arg("n")):
        if_(arg_bool("fast")):
            move(5)
        turn_right(15)
script():
    move(1)
'''

ALL = {
    "hexagon": HEXAGON, "square_proc": SQUARE_PROC, "greeting": GREETING, "spanish": SPANISH, "star": STAR,
    "two_sprites": TWO_SPRITES, "bounce": BOUNCE, "game": GAME, "math": MATH, "looks": LOOKS, "warp": WARP,
}
