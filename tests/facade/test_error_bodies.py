"""Error bodies as the API really sends them (evidence facts 10 and 13): ``Errors`` absent,
``[]`` or ``null``, and field errors in either key case."""

from __future__ import annotations

import json

import httpx
import pytest

from eaccounting import BadRequestError
from eaccounting.errors import FieldError, error_from_response


def _error(body: dict[str, object]) -> BadRequestError:
    response = httpx.Response(400, content=json.dumps(body).encode())
    response.request = httpx.Request("POST", "https://visma.test/v2/customers")
    error = error_from_response(response)
    assert isinstance(error, BadRequestError)
    return error


def test_camel_case_field_errors_are_read() -> None:
    error = _error(
        {
            "errorCode": 2000,
            "developerErrorMessage": "ValidationException - bad",
            "errorId": "redacted",
            "errors": [{"field": "Name", "errorCode": "Required", "message": "m", "key": "k"}],
        }
    )
    assert error.errors == (FieldError(field="Name", error_code="Required", message="m", key="k"),)
    assert "Name: m" in str(error)


@pytest.mark.parametrize("errors", ["absent", [], None])
def test_errors_absent_empty_or_null_mean_no_field_errors(errors: object) -> None:
    body: dict[str, object] = {"ErrorCode": 4002, "DeveloperErrorMessage": "x", "ErrorId": "e"}
    if errors != "absent":
        body["Errors"] = errors
    assert _error(body).errors == ()
