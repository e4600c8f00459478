"""Use cases over the store: settle, trial, cancel, retroactive settlement, approvals."""
