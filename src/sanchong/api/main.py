"""ASGI entry point for `sanchong serve` (uvicorn sanchong.api.main:app)."""

from __future__ import annotations

import sys

from ..bootstrap import build
from .app import create_app

# Requests run in worker threads that mostly wait on the database; a short GIL switch interval
# lets a thread whose I/O has completed resume promptly instead of waiting up to 5 ms.
sys.setswitchinterval(0.0005)
app = create_app(build())
