"""Stage-by-stage progress on stderr for long commands: `[2/4] 结算现行政策 settling current … 1.84 s`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Stages:
    """Announces each stage of a long command and how long it took; silent unless enabled (default: stderr is a terminal)."""

    def __init__(self, total: int, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0

    @contextmanager
    def stage(self, label: str) -> Iterator[None]:
        """One stage: prints `[n/total] label …` before it and the seconds it took after it."""
        self.done += 1
        if self.enabled:
            self.stream.write(f"[{self.done}/{self.total}] {label} … ")
            self.stream.flush()
        start = time.perf_counter()
        yield
        if self.enabled:
            self.stream.write(f"{time.perf_counter() - start:.2f} s\n")
            self.stream.flush()


def silent() -> Stages:
    """Stages that print nothing (library callers)."""
    return Stages(0, enabled=False)
