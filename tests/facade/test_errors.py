"""Each error class from a Visma-shaped body, and parsing what the real API sends."""

from __future__ import annotations

import httpx
import pytest

from eaccounting import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from eaccounting.errors import FieldError, error_from_response, parse_try_again_seconds

from .conftest import BASE, ERROR_ID, make_client, visma_error


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, 2000, BadRequestError),
        (401, 4005, AuthenticationError),
        (403, 4006, PermissionDeniedError),
        (404, 3000, NotFoundError),
        (409, 4000, ConflictError),
        (429, 4010, RateLimitError),
        (500, 5000, ServerError),
        (503, 5001, ServerError),
    ],
)
def test_each_status_maps_to_its_error_class(status: int, code: int, cls: type[APIError]) -> None:
    message = f"SomeException - failure {code}"
    client, _ = make_client(lambda r: visma_error(status, code, message), max_retries=0)
    with pytest.raises(cls) as info:
        client.request("GET", "/customers", params={"$page": 1})
    error = info.value
    assert type(error) is cls
    assert error.status == status
    assert error.error_code == code
    assert error.developer_message == message
    assert error.error_id == ERROR_ID
    assert error.method == "GET"
    assert error.url == f"{BASE}/customers"
    assert str(error).startswith(f"{status} ")
    assert f"GET {BASE}/customers" in str(error)
    assert f"ErrorCode {code}" in str(error)
    assert message in str(error)
    assert "static-token" not in str(error)


def test_field_errors_are_parsed_and_named_in_the_message() -> None:
    errors = [
        {"Field": "Name", "ErrorCode": "2000", "Message": "Name is required", "Key": "k1"},
        {"Field": None, "ErrorCode": None, "Message": None, "Key": None},
    ]
    client, _ = make_client(
        lambda r: visma_error(400, 2000, "DataModelValidationException - bad", errors=errors)
    )
    with pytest.raises(BadRequestError) as info:
        client.request("POST", "/customers", json={})
    assert info.value.errors == (
        FieldError(field="Name", error_code="2000", message="Name is required", key="k1"),
        FieldError(field=None, error_code=None, message=None, key=None),
    )
    assert "Name: Name is required" in str(info.value)


def _response(status: int, content: bytes, content_type: str) -> httpx.Response:
    response = httpx.Response(status, content=content, headers={"Content-Type": content_type})
    response.request = httpx.Request("GET", f"{BASE}/customers?$filter=x")
    return response


@pytest.mark.parametrize(
    "body",
    [
        b'{"ErrorCode": 3000, "DeveloperErrorMessage": "gone", "ErrorId": "not-a-uuid"}',
        b'{"ErrorCode": 3000, "DeveloperErrorMessage": "gone", "ErrorId": "not-a-uuid", '
        b'"Errors": []}',
        b'{"ErrorCode": "3000", "DeveloperErrorMessage": "gone", "ErrorId": "not-a-uuid", '
        b'"Errors": null}',
        b'{"errorCode": 3000, "developerErrorMessage": "gone", "errorId": "not-a-uuid"}',
    ],
)
def test_parsing_survives_real_world_bodies(body: bytes) -> None:
    error = error_from_response(_response(404, body, "application/json;charset=UTF-8"))
    assert isinstance(error, NotFoundError)
    assert error.error_code == 3000
    assert error.developer_message == "gone"
    assert error.error_id == "not-a-uuid"
    assert error.errors == ()
    assert error.url == f"{BASE}/customers"


def test_non_json_body_becomes_part_of_the_message() -> None:
    error = error_from_response(_response(502, b"<html>Bad gateway</html>", "text/html"))
    assert isinstance(error, ServerError)
    assert error.error_code is None
    assert error.body == "<html>Bad gateway</html>"
    assert "<html>Bad gateway</html>" in str(error)


def test_empty_body() -> None:
    error = error_from_response(_response(403, b"", "application/json"))
    assert isinstance(error, PermissionDeniedError)
    assert error.body is None
    assert str(error) == f"403 Forbidden | GET {BASE}/customers"


def test_rate_limit_error_carries_retry_after_from_message() -> None:
    body = (
        b'{"ErrorCode": 4010, "DeveloperErrorMessage": "API calls quota exceeded! maximum '
        b'admitted 600 per Minute. Try again in 55 seconds.", "ErrorId": "x"}'
    )
    error = error_from_response(_response(429, body, "application/json;charset=UTF-8"))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 55.0


def test_parse_try_again_seconds() -> None:
    assert parse_try_again_seconds("Try again in 7 seconds.") == 7.0
    assert parse_try_again_seconds("try again in 1 second") == 1.0
    assert parse_try_again_seconds("quota exceeded") is None
    assert parse_try_again_seconds(None) is None


def test_connection_and_timeout_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, sleeps = make_client(refuse, max_retries=1)
    with pytest.raises(APIConnectionError) as info:
        client.request("GET", "/customers")
    assert str(info.value) == f"connection failed (ConnectError): GET {BASE}/customers"
    assert len(sleeps.calls) == 1

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = make_client(slow, max_retries=0)
    with pytest.raises(APITimeoutError) as timeout:
        client.request("GET", "/customers")
    assert str(timeout.value) == f"request timed out (ReadTimeout): GET {BASE}/customers"
    assert isinstance(timeout.value, APIConnectionError)
