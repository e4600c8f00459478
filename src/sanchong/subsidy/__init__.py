"""Premium subsidy (资助参保): pure rules, no I/O (docs/subsidy_and_funding.md)."""
