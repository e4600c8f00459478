"""`sanchong compare [FILE]`: one patient's year under the five regions' rules, side by side (docs/compare.md)."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_support import fail

app = typer.Typer(help="Compare regions 五地比较: one patient's year under every region's rules (docs/compare.md).")

ROWS = (
    ("category", "救助对象类别"),
    ("basic", "基本医保"),
    ("critical", "大病保险"),
    ("assistance", "医疗救助"),
    ("tilted", "倾斜救助"),
    ("tilted_pending", "倾斜救助·需申请"),
    ("personal", "个人负担"),
    ("reimbursed_ratio", "实际报销比例"),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return text + space if left else space + text


def _cell(region: dict[str, Any], key: str) -> str:
    if key == "category":
        identity = region["identity"]
        return f"第{identity['category']}类" if identity["named"] else "未列入"
    if region["totals"] is None:
        return "—"
    return str(region["totals"][key])


def render(result: dict[str, Any]) -> str:
    """The five regions as columns, the year's totals as rows; the lowest and highest personal share; errors below."""
    regions = result["regions"]
    head = ["", *(r["name"] for r in regions)]
    body = [[label, *(_cell(r, key) for r in regions)] for key, label in ROWS]
    widths = [max(_width(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(_pad(c, widths[i], i == 0) for i, c in enumerate(row)) for row in [head, *body]]
    names = {r["region"]: r["name"] for r in regions}
    if result["best"]:
        best, worst = ("、".join(names[r] for r in result[k]) for k in ("best", "worst"))
        lines.append(f"个人负担最低 lowest: {best}；最高 highest: {worst}")
    for r in regions:
        if r["error"]:
            e = r["error"]
            where = f"第 {e['claim']} 笔（{e['date']}）" if e["claim"] else ""
            lines.append(f"{r['name']} 无法结算 cannot settle: {where}{e['field']}: {e['message']}")
        elif not r["identity"]["named"] and r["identity"]["type"]:
            lines.append(f"{r['name']}：{r['identity']['reason']}")
    return "\n".join(lines)


@app.callback(invoke_without_command=True)
def compare(
    file: Annotated[Path | None, typer.Argument(help="Patient JSON, the body of POST /compare (default: the preset example).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer of POST /compare instead of the table.")] = False,
) -> None:
    """Settle one patient's year under all five regions' rules in memory and print them side by side."""
    from pydantic import ValidationError

    from .api.policy_routes import CompareIn, patient_of
    from .catalog import load_statistics_file, shipped
    from .services import compare as cmp
    from .services.errors import ServiceError

    catalog = shipped()
    extra = os.environ.get("SANCHONG_STATISTICS_FILE")
    if extra:
        catalog = catalog.with_statistics(load_statistics_file(extra))
    if file is None:
        doc: Any = cmp.EXAMPLE
    else:
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            fail(f"{file}: 无法读取 cannot read: {error.strerror}")
        except json.JSONDecodeError as error:
            fail(f"{file}: 不是有效的 JSON (not valid JSON): line {error.lineno}: {error.msg}")
    try:
        body = CompareIn.model_validate(doc)
        result = cmp.compare(catalog, patient_of(body), tuple(body.regions) if body.regions else cmp.REGIONS)
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"{'.'.join(str(x) for x in first['loc'])}: 无效 invalid: {first['msg']}")
    except ServiceError as error:
        fail(f"{error.field}: {error.message} ({error.message_en})")
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(render(result))
