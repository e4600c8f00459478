"""Service errors: a code, the field at fault, a message in Chinese and in English, and an HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, field: str, message: str, message_en: str) -> None:
        super().__init__(f"{field}: {message} ({message_en})")
        self.field = field
        self.message = message
        self.message_en = message_en


class Invalid(ServiceError):
    status, code = 422, "invalid"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"
