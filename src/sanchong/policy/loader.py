"""Strict loader: policy and statistics files (YAML text) to checked objects (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import yaml

from ..engine.money import AmountError, parse_yuan
from .model import Param, Policy, PolicyError, Provision, Statistic, Statistics
from .schema import parser_for

_TOP = {"region", "name", "seed", "title", "effective", "chapters", "local", "published"}
_EFFECTIVE = {"from", "to", "article"}
_CHAPTER = {"chapter", "articles"}
_ARTICLE = {"article", "text", "reading", "set"}
_LOCAL = {"key", "value", "source", "grade", "note"}
_PUBLISHED = {"key", "year", "value", "source"}
_FIGURE = {"area", "statistic", "year", "value", "source", "grade"}


def _fail(source: str, where: str, cause: str) -> PolicyError:
    return PolicyError(f"{source}: {where}: {cause}")


def _mapping(raw: object, source: str, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(source, where, "expected a mapping")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(source, f"{where}.{unknown[0]}", "unknown key")
    missing = sorted(required - set(raw))
    if missing:
        raise _fail(source, f"{where}.{missing[0]}", "missing")
    return raw


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: dates stay text so a bad one is reported with its key."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(text: str, source: str) -> object:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise PolicyError(f"{source}: not valid YAML: {error}") from None


def _date(raw: object, source: str, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise _fail(source, where, f"not a date YYYY-MM-DD: {raw!r}") from None


def _parse_value(key: str, raw: object, source: str, where: str) -> object:
    parse = parser_for(key)
    if parse is None:
        raise _fail(source, where, f"unknown parameter {key!r}")
    try:
        return parse(raw)
    except AmountError as error:
        raise _fail(source, where, str(error)) from None


def _text(raw: object, source: str, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(source, where, "missing citation text")
    return raw.strip()


def load_policy(text: str, source: str) -> Policy:
    """Parse one policy file; any unknown key, bad value, bad date or missing citation is an error."""
    doc = _mapping(_yaml(text, source), source, "(top)", _TOP, {"region", "name", "seed", "title", "effective", "chapters"})
    seed = _text(doc["seed"], source, "seed")
    eff = _mapping(doc["effective"], source, "effective", _EFFECTIVE, {"from", "article"})
    start = _date(eff["from"], source, "effective.from")
    end = None if eff.get("to") is None else _date(eff["to"], source, "effective.to")
    _text(eff["article"], source, "effective.article")
    params: dict[str, Param] = {}
    provisions: list[Provision] = []
    if not isinstance(doc["chapters"], list):
        raise _fail(source, "chapters", "expected a list")
    for ci, chapter in enumerate(doc["chapters"]):
        chapter = _mapping(chapter, source, f"chapters[{ci}]", _CHAPTER, {"chapter", "articles"})
        for ai, article in enumerate(chapter["articles"] or []):
            where = f"chapters[{ci}].articles[{ai}]"
            article = _mapping(article, source, where, _ARTICLE, {"article", "set"})
            name = _text(article["article"], source, f"{where}.article")
            cite = f"{seed} {name}"
            if article.get("reading"):
                cite += f"（{_text(article['reading'], source, f'{where}.reading')}）"
            settings = article["set"]
            if not isinstance(settings, dict) or not settings:
                raise _fail(source, f"{where}.set", "expected a mapping of parameters")
            for key, raw in settings.items():
                if key in params:
                    raise _fail(source, f"{where}.set.{key}", f"set twice (first in {params[key].cite})")
                value = _parse_value(str(key), raw, source, f"{where}.set.{key}")
                params[key] = Param(key, value, cite, str(article.get("text", "")).strip())
            provisions.append(Provision(name, str(article.get("text", "")).strip(), tuple(settings)))
    local: list[Param] = []
    for li, entry in enumerate(doc.get("local") or []):
        where = f"local[{li}]"
        entry = _mapping(entry, source, where, _LOCAL, {"key", "value", "source"})
        key = str(entry["key"])
        src = _text(entry["source"], source, f"{where}.source")
        if key in params:
            raise _fail(source, f"{where}.key", f"{key!r} is already set by {params[key].cite}")
        if entry["value"] is None:
            if parser_for(key) is None:
                raise _fail(source, f"{where}.key", f"unknown parameter {key!r}")
            local.append(Param(key, None, src, str(entry.get("note", ""))))
            continue
        value = _parse_value(key, entry["value"], source, f"{where}.value")
        grade = entry.get("grade")
        param = Param(key, value, f"{src}" + (f" (grade {grade})" if grade else ""), str(entry.get("note", "")))
        params[key] = param
        local.append(param)
    published: dict[tuple[str, int], Param] = {}
    for pi, entry in enumerate(doc.get("published") or []):
        where = f"published[{pi}]"
        entry = _mapping(entry, source, where, _PUBLISHED, _PUBLISHED)
        key, year = str(entry["key"]), entry["year"]
        if not isinstance(year, int):
            raise _fail(source, f"{where}.year", f"not a year: {year!r}")
        value = _parse_value(key, entry["value"], source, f"{where}.value")
        published[(key, year)] = Param(key, value, _text(entry["source"], source, f"{where}.source"))
    return Policy(
        region=_text(doc["region"], source, "region"),
        name=_text(doc["name"], source, "name"),
        seed=seed,
        title=_text(doc["title"], source, "title"),
        effective_from=start,
        effective_to=end,
        params=params,
        published=published,
        provisions=tuple(provisions),
        local=tuple(local),
    )


def load_statistics(text: str, source: str) -> Statistics:
    """Parse the statistics table; every figure needs a source and a grade."""
    doc = _mapping(_yaml(text, source), source, "(top)", {"figures"}, {"figures"})
    figures: dict[tuple[str, str, int], Statistic] = {}
    for i, entry in enumerate(doc["figures"] or []):
        where = f"figures[{i}]"
        entry = _mapping(entry, source, where, _FIGURE, _FIGURE)
        try:
            value = parse_yuan(str(entry["value"]))
        except AmountError as error:
            raise _fail(source, f"{where}.value", str(error)) from None
        if not isinstance(entry["year"], int):
            raise _fail(source, f"{where}.year", f"not a year: {entry['year']!r}")
        figure = Statistic(
            str(entry["area"]),
            str(entry["statistic"]),
            entry["year"],
            value,
            _text(entry["source"], source, f"{where}.source"),
            _text(entry["grade"], source, f"{where}.grade"),
        )
        index = (figure.area, figure.statistic, figure.year)
        if index in figures:
            raise _fail(source, where, f"duplicate figure {index}")
        figures[index] = figure
    return Statistics(figures)


def policy_index(policies: Mapping[str, list[Policy]]) -> dict[str, list[Policy]]:
    """Sort each region's versions by start date and reject overlapping versions."""
    result: dict[str, list[Policy]] = {}
    for region, versions in policies.items():
        ordered = sorted(versions, key=lambda p: p.effective_from)
        for earlier, later in pairwise(ordered):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise PolicyError(f"{region}: versions {earlier.id} and {later.id} overlap")
        result[region] = ordered
    return result
