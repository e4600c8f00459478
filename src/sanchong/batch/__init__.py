"""Batch engine: whole tables of claims at once (Arrow / Parquet), synthetic data, reconciliation, what-if."""
