import ast

from codehone.eval.sanitize import extract_code, longest_parsable_prefix, sanitize, with_prompt_helpers

ANSWER = '''Here is the solution:

```python
import math
from typing import List

LIMIT = 10

def helper(x):
    return math.sqrt(x) + LIMIT

def unused():
    return 1

def solve(xs: List[int]) -> float:
    return sum(helper(x) for x in xs)

print(solve([1, 4]))
assert solve([]) == 0

if __name__ == "__main__":
    solve([1])
```

And a test:

```python
def test():
    assert solve([1]) == 11
```
'''


def test_keeps_the_entry_point_and_what_it_needs():
    code = sanitize(ANSWER, "solve")
    tree = ast.parse(code)
    names = {getattr(n, "name", None) for n in tree.body} | {
        t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets}
    assert {"solve", "helper", "LIMIT"} <= names
    assert "unused" not in names and "test" not in names
    assert "print(" not in code and "__main__" not in code and "assert" not in code
    assert "import math" in code and "from typing import List" in code
    ns = {}
    exec(code, ns)
    assert ns["solve"]([1, 4]) == 1 + 10 + 2 + 10


def test_picks_the_block_defining_the_entry_point():
    text = "```python\nprint(1)\n```\n```python\ndef f():\n    return 2\n```"
    assert "def f" in extract_code(text, "f")


def test_truncated_answer_keeps_the_parsable_prefix():
    text = "```python\ndef f(x):\n    return x + 1\n\ndef g(x):\n    return (x +\n"
    code = sanitize(text, "f")
    assert "def f" in code and "def g" not in code
    assert longest_parsable_prefix("def (") == ""


def test_no_fence_is_taken_as_code():
    assert "def f" in sanitize("def f():\n    return 1\n", "f")


def test_decorators_and_classes_are_kept():
    text = "import functools\nclass A:\n    pass\n@functools.lru_cache\ndef f(n):\n    return A()\n"
    code = sanitize(text, "f")
    assert "@functools.lru_cache" in code and "class A" in code


def test_prompt_helpers_the_answer_lacks_come_from_the_prompt():
    prompt = "import math\n\n\ndef encode(s):\n    return s[::-1]\n\n\ndef decode(s):\n    \"\"\"Undo encode.\"\"\"\n"
    answer = "```python\ndef encode(s):\n    return s[::-1]\n\n\ndef decode(s):\n    return s[::-1]\n\nprint(decode('ab'))\n```"
    solution = sanitize(answer, "decode")
    assert "def encode" not in solution  # the entry point never calls it: step 3 drops it
    program = with_prompt_helpers(solution, prompt, "decode")
    ns: dict = {}
    exec(program, ns)
    assert ns["decode"](ns["encode"]("abc")) == "abc" and "math" in ns
    assert program.count("def decode") == 1  # the entry point is the answer's, never the prompt's
    # nothing to add, or an answer that does not parse: unchanged
    assert with_prompt_helpers(program, prompt, "decode") == program
    assert with_prompt_helpers("def decode(s:\n", prompt, "decode") == "def decode(s:\n"
    assert with_prompt_helpers("x = 1\n", "Write a function that adds.", "add") == "x = 1\n"


def test_chat_stops_end_the_answer_at_its_own_tests_but_never_inside_the_function():
    from codehone.eval.benchmarks.base import RESPONSE_PREFIX
    from codehone.eval.generate import CHAT_STOPS, truncate

    body = ("def add(a, b):\n    print('adding')\n    assert a is not None\n    if __name__:\n        pass\n"
            "    return a + b\n")
    for tail in ("\nprint(add(1, 2))  # Output: 3\n", "\nassert add(1, 2) == 3\n",
                 "\nif __name__ == '__main__':\n    main()\n", "\n```\nThis adds two numbers."):
        kept = truncate(body + tail, CHAT_STOPS)
        assert kept == body, tail  # the indented print/assert/if in the body did not stop it
        assert sanitize(RESPONSE_PREFIX + kept, "add") == sanitize(RESPONSE_PREFIX + body + tail, "add")
