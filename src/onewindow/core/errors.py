"""Domain errors. Services raise them; the API and the CLI turn each into one clear message, in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; carries a stable code and an HTTP status."""

    code = "invalid"
    status = 422

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidInput(DomainError):
    code = "invalid"
    status = 422


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class Conflict(DomainError):
    code = "conflict"
    status = 409


class IllegalTransition(Conflict):
    code = "illegal_transition"


class InvalidIdentityNumber(InvalidInput):
    code = "invalid_identity_number"


class InvalidCreditCode(InvalidInput):
    code = "invalid_credit_code"
