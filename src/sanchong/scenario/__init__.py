"""Scenario files (DESIGN §6): read, settle, print."""
