"""Staff web pages (docs/web.md): static HTML + ES modules served by the API app under /web; they call the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Serve the pages at /web/ (index.html is the sign-in page) and send / there."""

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/web/")

    app.mount("/web", StaticFiles(directory=STATIC, html=True), name="web")
