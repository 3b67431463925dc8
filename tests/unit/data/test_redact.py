"""Redaction regressions (issue 16, defect 10): file names are not e-mail addresses, and a
literal is redacted everywhere or nowhere in a file."""

import pytest

from codehone.data.redact import redact


@pytest.mark.parametrize("name", ["docset-icon@2x.png", "logo@2x.svg", "sprite@3x.jpg", "theme@dark.css",
                                  "bundle@1.2.js", "pkg@latest.json"])
def test_file_names_with_at_are_not_emails(name):
    text = f"![icon](docs/_static/{name})\n"
    out, counts = redact(text, "README.md")
    assert out == text and not counts


@pytest.mark.parametrize("addr", ["jane.q.developer@acme-internal.io", "bob@corp.com", "ops@example.co.uk"])
def test_real_emails_still_redacted(addr):
    out, counts = redact(f"contact: {addr}\n", "README.md")
    assert addr not in out and counts["email"] == 1


DOCTEST = '''```{doctest}
>>> asdict(
...     User("jane", "s33kred", "jane@example.com", 42),
...     filter=filters.exclude("passwd")
... )
{'login': 'jane', 'password': 's33kred', 'email': 'jane@example.com', 'id': 42}
```
'''


def test_short_test_value_after_password_key_is_not_a_credential():
    out, counts = redact(DOCTEST, "docs/examples.md")
    assert out.count("s33kred") == 2
    assert "<PASSWORD>" not in out and counts == {"email": 2}


def test_a_secret_is_redacted_wherever_it_appears():
    text = ('u = User("jane", "correct-horse-battery-9")\n'
            'password = "correct-horse-battery-9"\n'
            'print("correct-horse-battery-9x")\n')
    out, counts = redact(text, "conf.py")
    assert "correct-horse-battery-9\"" not in out
    assert out.splitlines()[0] == 'u = User("jane", "<PASSWORD>")'
    assert out.splitlines()[2] == 'print("correct-horse-battery-9x")'  # another literal, not the secret
    assert counts["secret_keyword"] == 2
