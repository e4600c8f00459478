"""Shared fixtures: the shipped catalog, loaded once."""

from __future__ import annotations

import pytest

from sanchong.catalog import Catalog, shipped


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return shipped()
