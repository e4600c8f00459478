"""Output files written aside and put in place only when complete: a failure leaves what was there before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced(*paths: Path) -> Iterator[list[Path]]:
    """Names beside `paths` to write to; on success each replaces its path (atomically), on failure they are removed."""
    aside = [path.with_name(f".{path.name}.partial") for path in paths]
    try:
        yield aside
    except BaseException:
        for path in aside:
            path.unlink(missing_ok=True)
        raise
    for done, path in zip(aside, paths, strict=True):
        os.replace(done, path)
