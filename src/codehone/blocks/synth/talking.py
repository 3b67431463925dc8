"""The families of :mod:`codehone.blocks.synth.pairs` that talk: asking, counting, repeating a
phrase, stories between sprites, thinking, messages, quizzes, and the impossible requests that
the right answer declines.

Each family draws its parameters, wording and program variant from a :class:`Draw` and returns
the :class:`Pair` with the behaviour check any correct answer must pass.
"""

from __future__ import annotations

from codehone.blocks.synth.program import Draw, Pair, c_block, program, q, script, sprites

_QUESTIONS = {
    "name": (["What's your name?", "What is your name?", "Hi! What's your name?"],
             ["Ana", "Leo", "Mia", "Sam", "Zoe", "Omar", "Lucas", "Emma"], ["Priya", "Kofi", "Ines"]),
    "age": (["How old are you?", "What is your age?"], ["7", "8", "9", "10", "11"], ["6", "12"]),
    "colour": (["What is your favourite colour?", "Which colour do you like best?"],
               ["blue", "red", "green", "purple"], ["yellow", "teal"]),
    "animal": (["What is your favourite animal?", "Which animal do you like?"],
               ["dogs", "cats", "horses", "pandas"], ["dolphins", "owls"]),
}


def ask(d: Draw) -> Pair:
    kind = d.choice(_QUESTIONS)
    template = d.wording(kind)
    questions, shared, held = _QUESTIONS[kind]
    question, answer = d.choice(questions), d.value(shared, held)
    reply = {
        "name": d.choice(['join("Hello ", answer())', 'join("Hi ", answer())',
                          'join(join("Nice to meet you, ", answer()), "!")']),
        "age": d.choice(['join(join("You are ", answer()), " years old!")', 'join("Wow, you are ", answer())']),
        "colour": d.choice(['join(answer(), " is a lovely colour!")', 'join("I like ", answer())']),
        "animal": d.choice(['join(answer(), " are cool!")', 'join("I love ", answer())']),
    }[kind]
    body = [f"ask({q(question)})", f"say({reply})" if d.chance(0.6) else f"say_for_secs({reply}, 2)"]
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"}]}
    return Pair("ask", d.say(template), program(script("when_flag_clicked()", body)), check, (answer,))


def counting(d: Draw) -> Pair:
    kind = d.choice(["up", "down", "variable", "by"])
    template = d.wording(kind)
    var = d.value(["count", "number", "n"], ["counter"]) if kind != "variable" else \
        d.value(["score", "points", "count", "stars"], ["coins", "apples"])
    pause = d.choice([["wait(1)"], ["wait(0.5)"]])
    if kind == "up":
        n = d.value(range(3, 11), [12, 15])
        say = [f"say_for_secs(variable({q(var)}), 1)"] if d.chance(0.5) else [f"say(variable({q(var)}))"] + pause
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, 1)"] + say)
        check = {"check": "says_in_order", "texts": ["1", "2", str(n)]}
        values = {"n": n}
    elif kind == "down":
        n = d.value(range(3, 11), [12])
        end = d.value(["Blast off!", "Go!", "Happy new year!"], ["Ready or not, here I come!"])
        body = [f"set_variable({q(var)}, {n})"] + c_block(f"repeat({n})", [f"say(variable({q(var)}))"] + pause
                                                          + [f"change_variable({q(var)}, -1)"]) + [f"say({q(end)})"]
        check = {"check": "says_in_order", "texts": [str(n), str(n - 1), "1", end]}
        values = {"n": n, "end": end}
    elif kind == "variable":
        n, k = d.value(range(2, 11), [11, 13]), d.value([1, 2, 5, 10], [3])
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, {k})"])
        check = {"check": "variable", "name": var, "equals": n * k}
        values = {"n": n, "k": k, "var": var}
    else:
        k, n = d.value([2, 5, 10], [3]), d.value(range(3, 7), [7])
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, {k})",
                                                                         f"say(variable({q(var)}))"] + pause)
        check = {"check": "says_in_order", "texts": [str(k), str(2 * k), str(n * k)]}
        values = {"k": k, "top": n * k}
    return Pair("counting", d.say(template, **values), program(script("when_flag_clicked()", body)), check)


_PHRASES = (["Hello!", "Hi!", "I love Scratch!", "Good morning!", "Meow!", "Let's play!", "Happy birthday!"],
            ["Have a nice day!", "I am a robot.", "Hooray!"])


def loop_say(d: Draw) -> Pair:
    template = d.wording()
    text, n = d.value(*_PHRASES), d.value(range(2, 11), [12, 20])
    if d.chance(0.5):
        inner = [f"say_for_secs({q(text)}, {d.choice(['1', '0.5', '2'])})"]
    else:
        inner = [f"say({q(text)})", f"wait({d.choice(['1', '0.5'])})"]
        if d.chance(0.5):
            inner += ["say(\"\")", "wait(0.5)"]
    body = c_block(f"repeat({n})", inner)
    check = {"check": "all_of", "checks": [{"check": "says", "text": text}, {"check": "says_count", "min": n}]}
    return Pair("loop_say", d.say(template, text=text, n=n), program(script("when_flag_clicked()", body)), check)


_LINES = (["Once upon a time", "there was a little cat", "who loved to dance", "The end!", "Hello!",
           "Where is my hat?", "I found it!", "Let's go to the park"],
          ["A dragon lived in a cave", "It was very hungry", "So it ate a cookie"])

_ANIMALS = (["Cat", "Dog", "Bear", "Fox", "Owl"], ["Robot", "Dragon"])

_REPLIES = (["Hi Cat!", "Hello!", "Woof!", "Nice to see you!", "How are you?", "I am fine, thanks!"],
            ["Want to play?", "Sure!"])


def story(d: Draw) -> Pair:
    kind = d.choice(["one", "two"])
    template = d.wording(kind)
    secs = d.choice([1, 2])
    if kind == "one":
        pool = list(_LINES[0]) + (list(_LINES[1]) if d.split == "bench" else [])
        texts = [pool[i] for i in sorted(d.rng.sample(range(len(pool)), d.choice([2, 3, 4])))]
        if d.chance(0.5):
            body = [f"say_for_secs({q(t)}, {secs})" for t in texts]
        else:
            body = [x for t in texts for x in (f"say({q(t)})", f"wait({secs})")]
        quoted = ", then ".join(f'"{t}"' for t in texts)
        return Pair("story", d.say(template, lines=quoted, n=len(texts)),
                    program(script("when_flag_clicked()", body)), {"check": "says_in_order", "texts": texts})
    a, b = d.rng.sample(list(_ANIMALS[0]) + (list(_ANIMALS[1]) if d.split == "bench" else []), 2)
    line_a, line_b = d.value(*_PHRASES), d.value(*_REPLIES)
    if d.chance(0.5):  # timing: the second sprite waits its turn
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})"])]
        second = [script("when_flag_clicked()", [f"wait({secs})", f"say_for_secs({q(line_b)}, {secs})"])]
    else:  # or is told to go by a message
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})", 'broadcast("your turn")'])]
        second = [script('when_i_receive("your turn")', [f"say_for_secs({q(line_b)}, {secs})"])]
    prompt = d.say(template, a=a.lower(), b=b.lower(), line_a=line_a, line_b=line_b)
    return Pair("story", prompt, sprites([(a, first), (b, second)]), {"check": "takes_turns", "texts": [line_a, line_b]})


def think(d: Draw) -> Pair:
    template = d.wording()
    text = d.value(["Hmm...", "I wonder...", "What should I do?", "Yummy pizza"], ["So sleepy..."])
    secs = d.value([1, 2, 3], [4])
    body = [f"think_for_secs({q(text)}, {secs})"] if "{secs}" in template else [f"think({q(text)})"]
    return Pair("think", d.say(template, text=text, secs=secs), program(script("when_flag_clicked()", body)),
                {"check": "thinks", "text": text})


def broadcast(d: Draw) -> Pair:
    template = d.wording()
    a, b = d.rng.sample(list(_ANIMALS[0]) + (list(_ANIMALS[1]) if d.split == "bench" else []), 2)
    text = d.value(["Woof!", "Hello!", "You clicked my friend!", "Hi!"], ["Yippee!"])
    message = d.choice(["hello", "go", "clicked", "talk"])
    first = [script("when_this_sprite_clicked()", [f"broadcast({q(message)})"])]
    second = [script(f"when_i_receive({q(message)})", [f"say({q(text)})"] if d.chance(0.5)
                     else [f"say_for_secs({q(text)}, 2)"])]
    events = ({"time": 0.3, "click": a},)
    return Pair("broadcast", d.say(template, a=a.lower(), b=b.lower(), text=text),
                sprites([(a, first), (b, second)]), {"check": "says", "text": text}, (), events)


def quiz(d: Draw) -> Pair:
    template = d.wording()
    x, y = d.value(range(1, 10), [11, 12]), d.value(range(1, 10), [13])
    right, wrong = d.value(["Correct!", "Well done!", "Yes!"], ["Super!"]), d.value(["Try again!", "Nope!"], ["Not quite!"])
    good = d.chance(0.5)
    answer = str(x + y) if good else str(x + y + d.choice([1, 2, -1]))
    cond = d.choice([f"equals(answer(), {x + y})", f"equals(answer(), add({x}, {y}))"])
    body = [f"ask({q(f'What is {x} + {y}?')})"] + c_block(f"if_({cond})", [f"say({q(right)})"]) + \
        c_block("else_()", [f"say({q(wrong)})"])
    said, other = (right, wrong) if good else (wrong, right)
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says", "text": said},
                                           {"check": "not", "of": {"check": "says", "text": other}}]}
    return Pair("quiz", d.say(template, x=x, y=y, right=right, wrong=wrong), program(script("when_flag_clicked()", body)),
                check, (answer,))


# The two lists of impossible requests differ: the bench asks for things training never refused.
_IMPOSSIBLE = (
    ["print my drawing on the printer", "send a text message to my friend", "open my homework file",
     "make the computer turn off", "save my game to a usb stick", "read my emails"],
    ["play a video from youtube", "send an email to my mum", "download a game from the internet",
     "take a photo with the webcam and post it", "order a pizza", "change the wallpaper of my computer"],
)


def impossible(d: Draw) -> Pair:
    template = d.wording()
    thing = d.choice(_IMPOSSIBLE[1 if d.split == "bench" else 0])
    reply = d.choice(["Sorry, Scratch blocks cannot do that.", "Sorry, I can't do that with blocks.",
                      "I can't do that here, but I can draw or talk!"])
    body = [f"say({q(reply)})"]
    return Pair("impossible", d.say(template, thing=thing), program(script("when_flag_clicked()", body)),
                {"check": "finishes"})
