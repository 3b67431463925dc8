"""A small repository with every case the data stage must handle planted in it.

Built in-process (no binary fixtures in git): ordinary code that must survive, plus near and
exact duplicates, vendored and generated code, a minified bundle, lock files, a binary, a
HumanEval solution and an MBPP solution, and fake secrets of many kinds. ``SECRETS`` lists every
secret value; the tests grep all output files for each one. All values are fabricated.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

# kind -> a fabricated value that must not appear in any output
SECRETS = {
    "aws_access_key_id": "AKIAQ3EGRT5YBX7KPL2M",
    "aws_secret_access_key": "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",
    "github_token": "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3sXy",
    "gitlab_token": "glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm",
    "slack_token": "xoxb-2048675309-4096123456789-QwErTyUiOpAsDfGhJkLzXcVb",
    "stripe_key": "sk_live_51HqLyjWDarjtT1zdp7dcXyZ9",
    "sendgrid_key": "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",
    "jwt": ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MjQyNDIiLCJuYW1lIjoiQWNtZSBCb3QiLCJpYXQiOjE3MDAwMDAwMDB9"
            ".q9YkX3vB7nR2mT8wL5pZ1cH6jF4dS0aG9eK3uN7yQ2o"),
    "url_password": "Tr0ub4dor-and-3",
    "keyword_password": "correct-horse-battery-9",
    "basic_auth_header": "YWRtaW46c3VwZXJzZWNyZXQxMjM=",
    "email": "jane.q.developer@acme-internal.io",
    "email2": "ops-oncall@acme-internal.io",
    "ipv4_private": "10.41.7.213",
    "ipv4_public": "203.0.113.77",
    "private_key_body": "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0",
}

SETTINGS_PY = f'''"""Service settings (fabricated values for tests)."""

import os

AWS_ACCESS_KEY_ID = "{SECRETS['aws_access_key_id']}"
aws_secret_access_key = "{SECRETS['aws_secret_access_key']}"
GITHUB_TOKEN = "{SECRETS['github_token']}"
GITLAB = "{SECRETS['gitlab_token']}"
SLACK_BOT = "{SECRETS['slack_token']}"
STRIPE_API = "{SECRETS['stripe_key']}"
SENDGRID = "{SECRETS['sendgrid_key']}"
SERVICE_JWT = "{SECRETS['jwt']}"
DATABASE_URL = "postgres://deploy:{SECRETS['url_password']}@db.acme-internal.io:5432/orders"
password = "{SECRETS['keyword_password']}"
HEADERS = {{"Authorization": "Basic {SECRETS['basic_auth_header']}"}}
OWNER = "{SECRETS['email']}"
ONCALL = "Ops <{SECRETS['email2']}>"
CACHE_HOST = "{SECRETS['ipv4_private']}"
EDGE_HOST = "{SECRETS['ipv4_public']}"
DEPLOY_KEY = """-----BEGIN RSA PRIVATE KEY-----
{SECRETS['private_key_body']}
Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9meHl6enk0MjQyNDI0Mg
-----END RSA PRIVATE KEY-----"""


def database_url() -> str:
    """The database URL, from the environment when it is set there."""
    return os.environ.get("DATABASE_URL", DATABASE_URL)
'''

ORDERS_PY = '''"""Order handling for the acme service."""

from dataclasses import dataclass


@dataclass
class Order:
    order_id: int
    customer: str
    lines: list

    def total(self) -> float:
        """Sum of quantity times unit price over all lines of the order."""
        return sum(line.quantity * line.unit_price for line in self.lines)

    def is_empty(self) -> bool:
        """True when the order has no lines at all, so it must not be shipped."""
        return not self.lines


def parse_order(row: dict) -> Order:
    """Build an Order from a database row, converting the id to an integer."""
    order_id = int(row["id"])
    customer = row["customer"].strip()
    lines = list(row.get("lines", []))
    return Order(order_id, customer, lines)


def merge_orders(first: Order, second: Order) -> Order:
    """Merge two orders of the same customer into one, keeping the first id."""
    if first.customer != second.customer:
        raise ValueError("orders belong to different customers")
    merged = list(first.lines)
    merged.extend(second.lines)
    return Order(first.order_id, first.customer, merged)
'''


def _module(name: str, n: int) -> str:
    """Ordinary, distinct code: different names and constants per module."""
    parts = [f'"""{name} helpers."""\n\nimport math\n']
    for i in range(n):
        parts.append(
            f"\n\ndef {name}_step_{i}(value, factor={i + 2}):\n"
            f'    """Scale value by factor and add the {name} offset number {i}."""\n'
            f"    scaled = value * factor\n"
            f"    if scaled > {100 + 17 * i}:\n"
            f"        scaled = math.sqrt(scaled) + {i}\n"
            f"    return scaled - {3 * i + 1}\n"
        )
    return "".join(parts)


def _handler(extra: str = "") -> str:
    body = [f'"""Request handlers."""\n\nimport json\n{extra}']
    for verb in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
        body.append(
            f"\n\ndef handle_{verb}(request, store):\n"
            f'    """Handle an HTTP {verb.upper()} request against the key-value store."""\n'
            f"    key = request.path.rsplit('/', 1)[-1]\n"
            f"    payload = json.loads(request.body or 'null')\n"
            f"    result = store.{verb}(key, payload)\n"
            f"    return {{'status': 200, 'method': '{verb}', 'result': result}}\n"
        )
    return "".join(body)


def _benchmark_row(filename: str, index: int) -> dict:
    ref = resources.files("codehone").joinpath("assets", "benchmarks", filename)
    with gzip.open(ref.open("rb"), "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == index:
                return json.loads(line)
    raise IndexError(index)


def make_planted_repo(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        "README.md": "# acme-service\n\nOrder handling service used in the data-stage tests of codehone.\n",
        "acme/__init__.py": '"""The acme service."""\n\n__version__ = "1.2.3.4"\n',
        "acme/orders.py": ORDERS_PY,
        "acme/settings.py": SETTINGS_PY,
        "acme/pricing.py": _module("pricing", 6),
        "acme/shipping.py": _module("shipping", 5),
        "acme/billing.py": _module("billing", 7),
        "acme/reports.py": _module("reports", 4),
        "acme/handlers.py": _handler(),
        # near-duplicate: the same handlers with one added import
        "acme/handlers_v2.py": _handler("import logging\n"),
        # exact duplicate modulo whitespace
        "legacy/handlers_old.py": _handler().replace("\n", "  \n"),
        "scripts/deploy": "#!/usr/bin/env bash\nset -euo pipefail\n\nfor host in web1 web2; do\n  echo \"deploying to $host\"\n  rsync -a build/ \"$host:/srv/acme/\"\ndone\n",
        "web/app.js": "function total(lines) {\n  // sum of line totals\n  return lines.reduce((acc, l) => acc + l.qty * l.price, 0);\n}\n\nmodule.exports = { total };\n",
        "web/static/app.min.js": "var a=1;" * 40 + "function b(c){return c*2}" * 30 + "\n",
        "web/static/bundle.js": "!function(e){" + "var t=e.x||{};t.y=function(n){return n+1};" * 60 + "}(window);\n",
        "vendor/left_pad/pad.py": _module("leftpad", 3),
        "web/node_modules/lodash/index.js": "module.exports = function chunk(array, size) {\n  return array.slice(0, size);\n};\n",
        "gen/api_pb2.py": "# Generated by the protocol buffer compiler.  DO NOT EDIT!\nDESCRIPTOR = object()\n" + _module("pb", 2),
        "gen/client.go": "// Code generated by openapi-generator. DO NOT EDIT.\n\npackage client\n\nfunc Version() string {\n\treturn \"1\"\n}\n",
        "web/package-lock.json": '{\n  "name": "acme-web",\n  "lockfileVersion": 3,\n  "packages": {}\n}\n',
        "poetry.lock": "[[package]]\nname = \"requests\"\nversion = \"2.32.0\"\n",
        "docs/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "data/table.py": "X = [" + ",".join(["0x1F"] * 40) + "]\n" + ("# " + "=" * 120 + "\n") * 30,
    }
    he = _benchmark_row("HumanEval.jsonl.gz", 0)
    files["acme/closest.py"] = '"""Copied from somewhere."""\n\n' + he["prompt"] + he["canonical_solution"]
    mb = _benchmark_row("mbpp-sanitized-humaneval-format.jsonl.gz", 10)
    def_line = next(line for line in mb["prompt"].splitlines() if line.startswith("def "))
    files["acme/mbpp_like.py"] = "import re\n\n\n" + def_line + "\n" + mb["canonical_solution"]
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


PLANTED_DROPS = {
    "acme/closest.py": "contaminated",
    "acme/mbpp_like.py": "contaminated",
    "vendor/left_pad/pad.py": "vendored",
    "web/node_modules/lodash/index.js": "vendored",
    "web/static/app.min.js": "minified",
    "web/static/bundle.js": "minified",
    "gen/api_pb2.py": "generated",
    "gen/client.go": "generated",
    "web/package-lock.json": "lock_file",
    "poetry.lock": "lock_file",
    "docs/logo.png": "binary",
    "data/table.py": "mean_line_length",
}
DUPLICATE_GROUP = ("acme/handlers.py", "acme/handlers_v2.py", "legacy/handlers_old.py")
