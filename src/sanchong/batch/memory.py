"""Memory settings for a batch process (Linux): freed blocks kept for reuse, huge pages only where reads are random.

Process-wide, so only the batch commands (`sanchong batch`, `whatif`, `reconcile`) and the benchmark call
`for_batch`, never a long-running API worker, which would keep gigabytes it no longer uses.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Iterator

try:
    from numpy._core.multiarray import _set_madvise_hugepage  # type: ignore[attr-defined]
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import _set_madvise_hugepage  # type: ignore[no-redef]


@functools.cache
def for_batch() -> bool:
    """Keep freed large blocks for reuse, and give new arrays 4 KB pages (once per process; False where not Linux).

    The plan makes many short-lived arrays of 10 million rows (80 MB): by default each is a fresh mmap whose
    pages the kernel faults in and zeroes again, which at 10 million claims cost more time than the arithmetic.
    numpy asks for 2 MB pages for every large array; on this project's machines (virtual, 2 cores) a fresh
    process faulted 2 MB pages in at about 1 GB/s against 2.4 GB/s for 4 KB pages, so arrays read in order
    (columns) take 4 KB pages and only the tables read at random (the person join's hash table, the kernel's
    per-person heads) ask for huge pages, through `huge_pages`, where fewer TLB misses pay for the slower fault.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    kept = bool(libc.mallopt(m_mmap_threshold, 1 << 30) and libc.mallopt(m_trim_threshold, 1 << 32) and libc.mallopt(m_top_pad, 1 << 28))
    _set_madvise_hugepage(False)
    return kept


@contextlib.contextmanager
def huge_pages() -> Iterator[None]:
    """Arrays made inside ask Linux for 2 MB pages (numpy's own default): for tables read at random."""
    before = _set_madvise_hugepage(True)
    try:
        yield
    finally:
        _set_madvise_hugepage(before)
