"""ASGI entry point for `sanchong serve` (uvicorn sanchong.api.main:app)."""

from __future__ import annotations

from ..bootstrap import build
from .app import create_app

app = create_app(build())
