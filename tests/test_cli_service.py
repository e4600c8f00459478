"""The service commands: db upgrade, user add, audit verify (tampering found), serve refuses an unmigrated database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def sanchong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, check=False, timeout=120)


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = sanchong("serve", "--database-url", f"sqlite:///{tmp_path / 'empty.sqlite3'}", "--port", "18991")
    assert result.returncode != 0
    assert "sanchong db upgrade" in result.stderr


def test_upgrade_user_add_and_audit_verify_find_a_changed_entry(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    url = f"sqlite:///{db}"
    assert sanchong("db", "upgrade", "--database-url", url).returncode == 0
    added = sanchong("user", "add", "alice", "--role", "clerk", "--database-url", url)
    assert added.returncode == 0 and len(added.stdout.strip()) >= 30, "prints the token once"
    assert sanchong("user", "add", "bob", "--role", "wizard", "--database-url", url).returncode != 0
    sanchong("user", "add", "carol", "--role", "auditor", "--database-url", url)
    ok = sanchong("audit", "verify", "--database-url", url)
    assert ok.returncode == 0 and "2" in ok.stdout
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 1")
    broken = sanchong("audit", "verify", "--database-url", url)
    assert broken.returncode == 1
    assert "#0" in broken.stderr and "record 1" in broken.stderr
