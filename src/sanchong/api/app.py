"""The FastAPI application: routes over the services, structured errors, token auth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..bootstrap import Container
from ..services.errors import ServiceError
from ..store.db import require_migrated
from ..web import mount as mount_web
from . import funding_routes, indicator_routes, list_routes, me_routes, nhsa_routes, policy_routes, report_routes, routes, subsidy_routes
from .application_routes import router as application_router
from .fraud_routes import router as fraud_router
from .monitoring_routes import router as monitoring_router


def error_body(code: str, field: str, message: str, message_en: str) -> dict[str, Any]:
    return {"error": {"code": code, "field": field, "message": message, "message_en": message_en}}


def create_app(container: Container, check_migrated: bool = True) -> FastAPI:
    """The API over one container; refuses to start on a database that is not migrated.

    Routes are `async def` calling the blocking services directly: a worker process handles one
    request at a time (no thread hop, which costs more than the work on this path) and `sanchong
    serve --workers N` scales across cores, like a pre-fork server.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if check_migrated:
            require_migrated(container.engine)
        yield

    app = FastAPI(
        title="sanchong 三重制度综合保障",
        description="一站式结算：基本医保 → 大病保险 → 医疗救助 → 倾斜救助。Every amount cites the article that paid it.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.container = container

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, error: ServiceError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.field, error.message, error.message_en), status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        field = ".".join(str(x) for x in first["loc"] if x not in ("body", "query", "path"))
        message = str(first.get("msg", "invalid"))
        return JSONResponse(error_body("invalid", field, f"字段 {field} 无效：{message}", message), status_code=422)

    app.include_router(routes.router)
    app.include_router(nhsa_routes.router)
    app.include_router(list_routes.router)
    app.include_router(monitoring_router)
    app.include_router(fraud_router)
    app.include_router(application_router)
    app.include_router(report_routes.router)
    app.include_router(indicator_routes.router)
    app.include_router(me_routes.router)
    app.include_router(policy_routes.router)
    app.include_router(subsidy_routes.router)
    app.include_router(funding_routes.router)
    mount_web(app)
    return app
