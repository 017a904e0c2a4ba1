"""The exception hierarchy and the parser for Visma's error body.

Visma answers errors with ``{"ErrorCode": int, "DeveloperErrorMessage": str, "ErrorId": uuid,
"Errors": [{"Field", "ErrorCode", "Message", "Key"}] | null}`` as
``application/json;charset=UTF-8``. Real bodies deviate (Errors missing or empty, non-UUID
ErrorId, HTML from a proxy), so parsing never raises.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "EAccountingError",
    "FieldError",
    "InvalidTokenFileError",
    "NotFoundError",
    "PagingError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReconsentRequiredError",
    "ResponseDecodeError",
    "ServerError",
    "TokenLockTimeoutError",
    "TokenPersistenceError",
    "TokenStoreAccessError",
    "TokenStoreError",
    "UnexpectedRedirectError",
    "UpdateConflictError",
    "ValidationError",
    "error_from_response",
    "parse_try_again_seconds",
]

_TRY_AGAIN = re.compile(r"try again in\s+(\d+(?:\.\d+)?)\s*second", re.IGNORECASE)


class EAccountingError(Exception):
    """Base class of every error this library raises."""


class ConfigurationError(EAccountingError, ValueError):
    """The client cannot be built as configured (no credentials, a bad setting); nothing sent."""


class ValidationError(EAccountingError, ValueError):
    """Input rejected on the client side, before any request was sent."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ReconsentRequiredError(EAccountingError):
    """The refresh token is no longer valid: the user must authorize the app again.

    Raised on ``invalid_grant`` (a rotated token reused, a password change, a revoked grant)
    and when there is no refresh token to use.
    """


# -- token stores: reading, writing and locking the place the token pair lives ---------------


class TokenStoreError(EAccountingError):
    """A token store could not be read, written or locked. ``path`` names it (a file, a key).

    None of these means the grant is lost: the refresh token was either not spent (the store
    is checked before a refresh) or the new pair is still in hand (``TokenPersistenceError``).
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class InvalidTokenFileError(TokenStoreError, ValueError):
    """The store holds something that is not a token pair (empty, garbage, wrong types)."""


class TokenStoreAccessError(TokenStoreError):
    """The store cannot be read or written (permissions, owner, read-only or full disk).

    Raised by a refresh *before* the refresh token is spent, so fixing the cause and calling
    again is enough.
    """


class TokenLockTimeoutError(TokenStoreError):
    """Another process or thread held the refresh lock longer than the call may wait.

    ``lock_path`` is the lock file (or the store), ``waited`` the seconds waited.
    """

    def __init__(
        self, message: str, *, path: str | None = None, waited: float | None = None
    ) -> None:
        super().__init__(message, path=path)
        self.lock_path = path
        self.waited = waited


class TokenPersistenceError(TokenStoreError):
    """A rotated token pair was received but could not be saved.

    The previous refresh token is spent; the new pair is kept in memory by the client that
    received it (later calls of this process use it) and is attached as ``token`` so the
    caller can persist it elsewhere. ``token`` never appears in ``str()`` or ``repr()``.
    """

    def __init__(self, message: str, *, path: str | None = None, token: Any = None) -> None:
        super().__init__(message, path=path)
        self.token = token


@attrs.frozen
class FieldError:
    """One entry of ``Errors[]``: a field-level validation message."""

    field: str | None
    error_code: str | None
    message: str | None
    key: str | None


class APIConnectionError(EAccountingError):
    """The request could not be sent or no response arrived."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIError(EAccountingError):
    """The API answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        error_code: int | None = None,
        developer_message: str | None = None,
        error_id: str | None = None,
        errors: tuple[FieldError, ...] = (),
        body: Any = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url
        self.error_code = error_code
        self.developer_message = developer_message
        self.error_id = error_id
        self.errors = errors
        self.body = body
        self.response = response

    @property
    def status_code(self) -> int:
        """Alias of :attr:`status`."""
        return self.status


class BadRequestError(APIError):
    """400: validation, query or business-rule error."""


class AuthenticationError(APIError):
    """401: the access token was missing, expired or rejected."""


class PermissionDeniedError(APIError):
    """403: scopes, module, product variant or user rights do not allow this call."""


class NotFoundError(APIError):
    """404: the resource does not exist."""


class ConflictError(APIError):
    """409: a duplicate or a state conflict."""


class RateLimitError(APIError):
    """429: the 600 requests/minute quota is exhausted. ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: a server or dependency failure."""


class UnexpectedRedirectError(APIError):
    """3xx: the API redirected a call instead of answering it (never part of the API's contract).

    Seen when a proxy or a login page sits in front of the API, or a region moved. The client
    does not follow it with the bearer token; ``location`` is where it pointed, without its
    query (which may carry a signature or a code).
    """

    def __init__(self, message: str, *, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location = location


class UpdateConflictError(ConflictError):
    """``update()`` found the object changed by someone else in the fields it was to write.

    Raised by the client, not the server (nothing was written; ``status`` is 409 by analogy).
    ``resource`` is the collection path, ``id`` the object's id (None for a singleton such as
    the company settings), ``fields`` the property names both sides changed, and ``current``
    the object as the server holds it now, to decide again from.
    """

    def __init__(
        self,
        message: str,
        *,
        resource: str,
        id: str | None,
        fields: tuple[str, ...],
        url: str,
        current: Any = None,
    ) -> None:
        super().__init__(message, status=409, method="PUT", url=url)
        self.resource = resource
        self.id = id
        self.fields = fields
        self.current = current


class PagingError(EAccountingError):
    """The server's paging cannot be followed: page ``page`` of ``path`` repeated the rows of
    the page before (a server that ignores ``$page``), so iterating would never end."""

    def __init__(self, message: str, *, path: str, page: int) -> None:
        super().__init__(message)
        self.path = path
        self.page = page


class ResponseDecodeError(EAccountingError):
    """A response the API sent as a success has a body that is not JSON (cut off, not UTF-8).

    ``status``, ``method`` and ``url`` (query string left out) name the response; ``excerpt``
    holds its first bytes, credentials masked; the decoder's own error is the ``__cause__``.
    """

    def __init__(
        self, message: str, *, status: int, method: str, url: str, excerpt: str, size: int
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url
        self.excerpt = excerpt
        self.size = size


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def parse_try_again_seconds(text: str | None) -> float | None:
    """Seconds from Visma's "... Try again in N seconds." message, or None."""
    if not text:
        return None
    match = _TRY_AGAIN.search(text)
    return float(match.group(1)) if match else None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime
    from time import time

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time())


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _as_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _field_errors(raw: Any) -> tuple[FieldError, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        if isinstance(item, dict):
            # Case-insensitive like the envelope: camelCase bodies say field/errorCode/message.
            keys = {str(k).lower(): v for k, v in item.items()}
            out.append(
                FieldError(
                    field=_as_str(keys.get("field")),
                    error_code=_as_str(keys.get("errorcode")),
                    message=_as_str(keys.get("message")),
                    key=_as_str(keys.get("key")),
                )
            )
    return tuple(out)


def _decode_body(response: httpx.Response) -> Any:
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        pass
    # Any bytes, any declared charset (even an unknown or wrong one): never raise here.
    try:
        return content.decode(response.encoding or "utf-8", errors="replace")
    except (LookupError, UnicodeError):
        return content.decode("utf-8", errors="replace")


def error_from_response(response: httpx.Response, *, url: str | None = None) -> APIError:
    """Build the typed error for an error ``response`` (status >= 400).

    ``url`` overrides the request URL shown in the message (callers pass a redacted one).
    """
    request = response.request
    method = request.method
    shown_url = url if url is not None else str(request.url.copy_with(query=None))
    body = _decode_body(response)
    data = body if isinstance(body, dict) else {}
    # Keys are matched case-insensitively: the camelCase era of the API used errorCode etc.
    lowered = {str(k).lower(): v for k, v in data.items()}
    error_code = _as_int(lowered.get("errorcode"))
    developer_message = _as_str(lowered.get("developererrormessage"))
    error_id = _as_str(lowered.get("errorid"))
    errors = _field_errors(lowered.get("errors"))

    status = response.status_code
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIError

    parts = [f"{status} {response.reason_phrase or ''}".rstrip(), f"{method} {shown_url}"]
    if error_code is not None:
        parts.append(f"ErrorCode {error_code}")
    if developer_message:
        parts.append(developer_message)
    elif isinstance(body, str) and body.strip():
        parts.append(body.strip()[:200])
    for item in errors:
        detail = ": ".join(x for x in (item.field, item.message) if x)
        if detail:
            parts.append(detail)
    if error_id:
        parts.append(f"ErrorId {error_id}")
    message = " | ".join(parts)
    kwargs: dict[str, Any] = {
        "status": status,
        "method": method,
        "url": shown_url,
        "error_code": error_code,
        "developer_message": developer_message,
        "error_id": error_id,
        "errors": errors,
        "body": body,
        "response": response,
    }
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is None:
            retry_after = parse_try_again_seconds(developer_message)
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)
