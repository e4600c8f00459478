"""Reading one field of a national message: present, of the right type, within its length; errors name it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from .errors import NhsaError

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def mapping(raw: object, field: str) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        raise NhsaError(field, "缺少或不是 JSON 对象", "missing or not a JSON object")
    return raw


def text(source: Mapping[str, object], key: str, where: str, max_len: int) -> str:
    """A required code or id (字符 n): a non-blank string of at most max_len characters."""
    found = optional_text(source, key, where, max_len)
    if found is None:
        raise NhsaError(path(where, key), "缺少必填字段", "required field missing")
    return found


def optional_text(source: Mapping[str, object], key: str, where: str, max_len: int) -> str | None:
    raw = source.get(key)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise NhsaError(path(where, key), f"应为字符串，收到 {raw!r}", "expected a string")
    if not raw.strip() or len(raw) > max_len:
        raise NhsaError(path(where, key), f"应为不超过 {max_len} 位的非空字符串：{raw!r}", f"expected 1-{max_len} characters")
    return raw


def timestamp(raw: object, field: str) -> dt.datetime:
    """yyyy-MM-dd HH:mm:ss (§1 inf_time)."""
    if not isinstance(raw, str) or not _DATETIME.fullmatch(raw):
        raise NhsaError(field, f"时间格式应为 yyyy-MM-dd HH:mm:ss：{raw!r}", "expected yyyy-MM-dd HH:mm:ss")
    try:
        return dt.datetime.strptime(raw, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise NhsaError(field, f"不是有效时间：{raw!r}", "not a valid time") from None


def date(raw: object, field: str) -> dt.date:
    """yyyy-MM-dd, or the date part of yyyy-MM-dd HH:mm:ss."""
    if isinstance(raw, str) and _DATETIME.fullmatch(raw):
        return timestamp(raw, field).date()
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise NhsaError(field, f"日期格式应为 yyyy-MM-dd：{raw!r}", "expected yyyy-MM-dd")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise NhsaError(field, f"不是有效日期：{raw!r}", "not a valid date") from None
