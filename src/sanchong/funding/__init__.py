"""Funding (筹资, 乌鲁木齐 第五条): pure split arithmetic, no I/O (docs/subsidy_and_funding.md)."""
