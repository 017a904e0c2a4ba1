"""Sending Schemathesis cases through the project's client, and judging what comes back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from eaccounting.errors import APIError

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection]


def send(client: Any, case: Case) -> httpx.Response:
    """Send ``case`` through ``client.http`` (auth, retries, limits); error statuses come back too.

    The facade raises typed errors for 4xx/5xx; the harness wants the response itself, which
    every :class:`APIError` carries.
    """
    kwargs: dict[str, Any] = {"params": dict(case.query or {}) or None}
    body = case.body
    if body is not None and type(body).__name__ != "NotSet":
        if isinstance(body, (bytes, str)):
            kwargs["content"] = body.encode() if isinstance(body, str) else body
            kwargs["headers"] = {"Content-Type": case.media_type or "application/octet-stream"}
        else:
            kwargs["json"] = body
    try:
        response: httpx.Response = client.http.request(case.method, case.formatted_path, **kwargs)
    except APIError as error:
        if error.response is None:
            raise
        response = error.response
    # The facade's transport hands httpx an already-read response, so httpx's timing hook never
    # fires; Schemathesis reads ``elapsed``.
    if not hasattr(response, "_elapsed"):
        response.elapsed = timedelta(0)
    return response


def visma_error_problem(response: httpx.Response) -> str | None:
    """A 4xx must carry Visma's error body: ``None`` if it does, else what is wrong with it."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} without a JSON error body"
    if not isinstance(body, dict) or "ErrorCode" not in body:
        return f"{response.status_code} body is not a Visma error: {str(body)[:120]}"
    return None


def describe(case: Case, response: httpx.Response | None, error: Exception) -> str:
    """One line: the request, the status and what was wrong (for the report)."""
    status = response.status_code if response is not None else "no response"
    text = " ".join(str(error).strip().split())
    return f"{case.method} {case.formatted_path} -> {status}: {text[:600]}"
