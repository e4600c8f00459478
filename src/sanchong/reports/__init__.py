"""Reports and hospital indicators: pure aggregation over claim facts, tables and charts (docs/reports.md)."""
