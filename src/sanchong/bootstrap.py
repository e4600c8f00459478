"""Composition root: settings from the environment → database engine, policies, services."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from .catalog import Catalog, load_statistics_file, shipped
from .services.applications import ApplicationService
from .services.fraud import FraudService
from .services.funding import FundingService
from .services.indicators import HospitalService
from .services.lists import ListService
from .services.monitoring import MonitoringService
from .services.persons import PersonService
from .services.reports import ReportService
from .services.settlement import SettlementService
from .services.subsidy import SubsidyService
from .services.users import UserService
from .store.db import make_engine

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def china_now() -> dt.datetime:
    """The bureau's clock (UTC+8)."""
    return dt.datetime.now(CHINA)


@dataclass
class Container:
    engine: Engine
    catalog: Catalog
    clock: Callable[[], dt.datetime] = china_now
    tilted_fund_code: str = field(default_factory=lambda: os.environ.get("SANCHONG_TILTED_FUND_CODE", "610102"))

    def __post_init__(self) -> None:
        self.settlements = SettlementService(self.engine, self.catalog, self.clock)
        self.persons = PersonService(self.settlements)
        self.users = UserService(self.engine, self.clock)
        self.lists = ListService(self.persons)
        self.monitoring = MonitoringService(self.settlements)  # listens to settlements (预警监测)
        self.fraud = FraudService(self.persons, self.monitoring)
        self.applications = ApplicationService(self.persons)
        self.subsidy, self.funding = SubsidyService(self.settlements), FundingService(self.settlements)
        self.reports = ReportService(self.settlements)
        self.hospitals = HospitalService(self.reports)


def build(url: str | None = None, clock: Callable[[], dt.datetime] = china_now) -> Container:
    """Everything the CLI and the API need, from SANCHONG_DATABASE_URL (or the embedded SQLite)."""
    catalog = shipped()
    extra = os.environ.get("SANCHONG_STATISTICS_FILE")
    if extra:
        catalog = catalog.with_statistics(load_statistics_file(extra))
    return Container(make_engine(url), catalog, clock)
