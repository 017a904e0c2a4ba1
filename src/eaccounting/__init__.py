"""Typed Python client for the Visma eAccounting / Spiris API v2.

    import eaccounting

    with eaccounting.Client(client_id=..., client_secret=...,
                            token_store=eaccounting.FileTokenStore("token.json")) as client:
        for customer in client.customers.iterate(filter=eaccounting.F("IsActive") == True):
            print(customer.name)

The generated models and operations (``eaccounting_api``) are imported on first use only.
"""

from __future__ import annotations

from ._client import AsyncClient, Client
from ._json_wire import dumps as json_dumps
from ._json_wire import loads as json_loads
from ._version import __spec_version__, __version__
from .auth import AuthorizationRequest, TokenEndpointError, TokenPersistenceError
from .changes import achanged_since, changed_since
from .environments import Environment
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    EAccountingError,
    FieldError,
    InvalidTokenFileError,
    NotFoundError,
    PagingError,
    PermissionDeniedError,
    RateLimitError,
    ReconsentRequiredError,
    ResponseDecodeError,
    ServerError,
    TokenLockTimeoutError,
    TokenStoreAccessError,
    TokenStoreError,
    UnexpectedRedirectError,
    UpdateConflictError,
    ValidationError,
)
from .odata import F, Field, Filter, OrderBy
from .paging import AsyncPager, Page, SyncPager
from .ratelimit import RateLimiter
from .retries import RetryPolicy
from .tokens import FileTokenStore, MemoryTokenStore, Token, TokenStore

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPager",
    "AuthenticationError",
    "AuthorizationRequest",
    "BadRequestError",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "EAccountingError",
    "Environment",
    "F",
    "Field",
    "FieldError",
    "FileTokenStore",
    "Filter",
    "InvalidTokenFileError",
    "MemoryTokenStore",
    "NotFoundError",
    "OrderBy",
    "Page",
    "PagingError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "ReconsentRequiredError",
    "ResponseDecodeError",
    "RetryPolicy",
    "ServerError",
    "SyncPager",
    "Token",
    "TokenEndpointError",
    "TokenLockTimeoutError",
    "TokenPersistenceError",
    "TokenStore",
    "TokenStoreAccessError",
    "TokenStoreError",
    "UnexpectedRedirectError",
    "UpdateConflictError",
    "ValidationError",
    "__spec_version__",
    "__version__",
    "achanged_since",
    "changed_since",
    "json_dumps",
    "json_loads",
]
