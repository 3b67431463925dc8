"""Is this a Scratch 3 project? Scratch's own JSON Schema, and the one error the sb3 room raises.

The schema files (``schema/``, vendored, BSD 3-clause; see ``schema/PROVENANCE.md``) check the
structure of ``project.json`` only; the block catalogue checks opcodes. The writer checks every
project it makes and the reader every project it is given, so both meet here.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Sb3Error", "validate_project"]


class Sb3Error(ValueError):
    """A project that cannot be read or written; the message names the file part or block."""


@cache
def _validator():
    from jsonschema import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    folder = resources.files("codehone.blocks.sb3").joinpath("schema")
    docs = {n: json.loads(folder.joinpath(n).read_text(encoding="utf-8"))
            for n in ("sb3_schema.json", "sb3_definitions.json")}
    # The files declare "$schema": "http://json-schema.org/schema#", which names no draft; their
    # keywords (items arrays + additionalItems) are draft 4-7, so resolve them as draft 7.
    registry = Registry().with_resources((d["$id"], DRAFT7.create_resource(d)) for d in docs.values())
    return Draft7Validator(docs["sb3_schema.json"], registry=registry)


def validate_project(project: dict[str, Any]) -> None:
    """Raise :class:`Sb3Error` if ``project`` does not match Scratch's sb3 JSON Schema."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(project))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise Sb3Error(f"project.json does not match Scratch's schema at {where}: {error.message}")
