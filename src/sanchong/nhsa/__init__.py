"""Pure translation between the national platform's settlement interface (POST /nhsa/{infno}) and the services.

No I/O and no clock: the shell passes the region's policy versions, the time and the receiver's message id.
Reference: shared/reference/nhsa_interface.md (§ numbers in the code refer to it).
"""

from .amounts import fen_of
from .envelope import parse_envelope
from .errors import NhsaError, from_settlement_error
from .jsontext import dumps
from .request import Fees, Request
from .response import error_response, make_refmsgid, settlement_response, stamp
from .tables import identity_for, med_types, tilted_fund_code, version_on, visit_for

__all__ = [
    "Fees",
    "NhsaError",
    "Request",
    "dumps",
    "error_response",
    "fen_of",
    "from_settlement_error",
    "identity_for",
    "make_refmsgid",
    "med_types",
    "parse_envelope",
    "settlement_response",
    "stamp",
    "tilted_fund_code",
    "version_on",
    "visit_for",
]
