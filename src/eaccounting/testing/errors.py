"""Visma-style error bodies, raised by handlers as :class:`VismaError`."""

from __future__ import annotations

from typing import Any

#: Exception type names the real API puts in front of DeveloperErrorMessage, per error code.
EXCEPTION_TYPES: dict[int, str] = {
    2000: "ValidationException",
    3000: "ResourceNotFoundException",
    3001: "FiscalYearDoesNotExistException",
    3002: "AccountNotFoundException",
    4000: "ConflictException",
    4001: "CanNotBeDeletedException",
    4002: "CanNotBeCreatedOrUpdatedException",
    4005: "AuthorizationException",
    4006: "NoAccessToScopesException",
    4009: "NoAccessDueToProductVariantException",
    4010: "TooManyRequestsException",
    4020: "FiscalYearException",
    4026: "VoucherDateIsInLockedPeriodException",
    4032: "SupplierInvoiceDoesntBalanceException",
    5000: "InternalServerErrorException",
    6000: "QueryParameterErrorException",
    6001: "InvalidInputException",
}


#: Error codes whose bodies have no ``Errors`` key at all (evidence fact 10).
WITHOUT_ERRORS = frozenset({4005, 4010, 4011})


class VismaError(Exception):
    """An API failure rendered as the Visma error envelope (CommonExtendedBadRequest)."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: list[dict[str, Any]] | None = None,
        exception_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.exception_type = exception_type
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self, error_id: str) -> dict[str, Any]:
        """The JSON body, with ``error_id`` as ErrorId, keyed as the real API keys it.

        Evidence fact 10: ``Errors`` is absent on 401/4005, 429/4010 and 4011 bodies and ``[]``
        on a 403/4002 one; elsewhere it is the field errors, or null when there are none.
        """
        prefix = self.exception_type or EXCEPTION_TYPES.get(self.code, "ApiException")
        body: dict[str, Any] = {
            "ErrorCode": self.code,
            "DeveloperErrorMessage": f"{prefix} - {self.message}",
            "ErrorId": error_id,
        }
        if self.code not in WITHOUT_ERRORS:
            # 4002 means two things; the 403 one (module not activated) was recorded with [].
            empty: list[dict[str, Any]] | None = [] if self.status == 403 else None
            body["Errors"] = self.errors or empty
        return body


def field_error(field: str, code: str, message: str) -> dict[str, Any]:
    """One entry of ``Errors[]``."""
    return {"Field": field, "ErrorCode": code, "Message": message, "Key": field}


def module_not_activated() -> VismaError:
    """403/4002: the company has not activated the API integration (evidence fact 11)."""
    return VismaError(
        403, 4002, "No access to module: api_standard", exception_type="ForbiddenRequestException"
    )


def not_found(what: str, ident: str) -> VismaError:
    return VismaError(404, 3000, f"{what} with id {ident} was not found.")


def validation(errors: list[dict[str, Any]]) -> VismaError:
    fields = ", ".join(str(e["Field"]) for e in errors)
    return VismaError(400, 2000, f"The request is invalid. Fields: {fields}.", errors)


def bad_query(message: str, code: int = 6000) -> VismaError:
    return VismaError(400, code, message)
