"""The one exception type business rules raise; routes turn it into a field error (422)."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused the request; `field` names the form field to show it on.

    `status` is the HTTP status a page answers with (422 for bad input; subclasses use 403/409).
    """

    status = 422

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    """Several fields were refused at once; each (field, message) is shown beside its field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        field, message = problems[0]
        super().__init__(message, field)
        self.problems = problems
