"""The one error the engine raises: a claim that cannot be settled, naming claim, field and cause."""

from __future__ import annotations


class SettlementError(ValueError):
    """A claim that cannot be settled; str() is one line naming the claim, the field and the cause."""

    def __init__(self, claim: str | None, field: str, cause: str, cause_en: str = "") -> None:
        self.claim = claim
        self.field = field
        self.cause = cause
        self.cause_en = cause_en
        where = f"claim {claim}: " if claim else ""
        english = f" ({cause_en})" if cause_en else ""
        super().__init__(f"{where}{field}: {cause}{english}")
