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


class VismaError(Exception):
    """An API failure rendered as the Visma error envelope (CommonExtendedBadRequest)."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self, error_id: str) -> dict[str, Any]:
        """The JSON body, with ``error_id`` as ErrorId."""
        prefix = EXCEPTION_TYPES.get(self.code, "ApiException")
        return {
            "ErrorCode": self.code,
            "DeveloperErrorMessage": f"{prefix} - {self.message}",
            "ErrorId": error_id,
            "Errors": self.errors,
        }


def field_error(field: str, code: str, message: str) -> dict[str, Any]:
    """One entry of ``Errors[]``."""
    return {"Field": field, "ErrorCode": code, "Message": message, "Key": field}


def not_found(what: str, ident: str) -> VismaError:
    return VismaError(404, 3000, f"{what} with id {ident} was not found.")


def validation(errors: list[dict[str, Any]]) -> VismaError:
    fields = ", ".join(str(e["Field"]) for e in errors)
    return VismaError(400, 2000, f"The request is invalid. Fields: {fields}.", errors)


def bad_query(message: str, code: int = 6000) -> VismaError:
    return VismaError(400, code, message)
