"""The studio's request and error plumbing, shared by its routes (app.py, skills.py).

Every failure the page can show is ``{"error": {"message": ...}}`` with a 4xx status, the shape
``codehone serve`` uses, so the page reads one kind of error from every route.
"""

from __future__ import annotations

import json

from fastapi import Request as HttpRequest
from fastapi.responses import JSONResponse

from codehone.blocks.studio.conversation import check_session_id
from codehone.errors import UserError
from codehone.serve.queue import QueueFull

__all__ = ["BUSY", "busy_response", "error_response", "json_body", "prompt_request"]

BUSY = "The copilot is busy helping someone else. Try again in about {s} seconds!"


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message}}, status_code=status, headers=headers)


def busy_response(full: QueueFull) -> JSONResponse:
    """429 with the friendly wait message and Retry-After, when the model's queue is full."""
    return error_response(429, BUSY.format(s=full.retry_after), {"Retry-After": str(full.retry_after)})


async def json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UserError("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise UserError("the request body must be a JSON object")
    return body


async def prompt_request(request: HttpRequest) -> tuple[str, str]:
    """(session, prompt) of a request that asks the copilot something."""
    body = await json_body(request)
    session = check_session_id(body.get("session"))
    prompt = body.get("prompt")
    if not isinstance(prompt, str):
        raise UserError("prompt must be text")
    return session, prompt
