"""HTTP benchmark: settlements per second and p50/p99 latency through the API, on SQLite and PostgreSQL.

Run with `make bench`. Starts `sanchong serve` on a fresh database, registers persons, then has
N concurrent clients (keep-alive connections) settle distinct claims; prints a table and writes
var/bench/http.json. Bounded in count and time; talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from sanchong.bootstrap import build
from sanchong.idnumber import make
from sanchong.store.db import upgrade

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
PG_ADMIN = os.environ.get("SANCHONG_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def prepare(url: str, persons: int) -> str:
    """Migrate, add persons (Urumqi dibao, so every claim runs all four layers) and a clerk token."""
    from sanchong.store import tables as t

    c = build(url)
    upgrade(c.engine)
    with c.engine.begin() as conn:  # bulk insert through Core: the benchmark is about settling, not registering
        at = "2026-11-28T09:00:00+08:00"
        conn.execute(t.persons.insert(), [
            {"psn_no": f"B{i:06d}", "id_number": make("650102", dt.date(1950, 1, 1) + dt.timedelta(days=i), i % 1000),
             "name": f"压测{i}", "region": "urumqi", "insurance": "resident", "district": None, "created_at": at}
            for i in range(persons)
        ])  # fmt: skip
        conn.execute(t.identities.insert(), [
            {"psn_no": f"B{i:06d}", "type": "dibao", "valid_from": dt.date(2024, 1, 1), "status": "active", "created_at": at,
             "created_by": "bench"}
            for i in range(persons)
        ])  # fmt: skip
    token = c.users.add("bench", "bench-clerk", "clerk")
    c.engine.dispose()
    return token


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SANCHONG_DATABASE_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanchong.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def load(port: int, token: str, clients: int, per_client: int, persons: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for i in range(per_client):
            person = f"B{(k * per_client + i) % persons:06d}"
            body = json.dumps({
                "claim_id": f"K{k}-{i}-{uuid.uuid4().hex[:8]}", "psn_no": person, "date": f"2024-{1 + i % 12:02d}-15",
                "visit": "inpatient", "total": "20000.00", "in_scope": "18000.00", "basic": "10000.00", "critical": "0.00",
            })  # fmt: skip
            start = time.perf_counter()
            conn.request("POST", "/claims", body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, errors[0]


def run(name: str, url: str, args: argparse.Namespace) -> list[dict[str, object]]:
    """One server; a single client first (latency at low load), then the concurrent clients (throughput)."""
    token = prepare(url, args.persons)
    proc = serve(url, args.port, args.workers)
    results = []
    try:
        load(args.port, token, args.clients, 20, args.persons)  # warm-up
        for clients, requests in ((1, min(500, args.requests)), (args.clients, args.requests)):
            elapsed, latencies, errors = load(args.port, token, clients, requests // clients, args.persons)
            latencies.sort()
            results.append({
                "database": name, "clients": clients, "workers": args.workers, "requests": len(latencies), "errors": errors,
                "settlements_per_s": round(len(latencies) / elapsed, 1),
                "p50_ms": round(statistics.median(latencies) * 1000, 2),
                "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 2),
            })  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18765)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, object]] = []
    sqlite_file = OUT / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    results += run("sqlite", f"sqlite:///{sqlite_file}", args)
    name = f"sanchong_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        results += run("postgresql", PG_ADMIN.rsplit("/", 1)[0] + "/" + name, args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
    print(f"{'database':12}{'clients':>8}{'workers':>8}{'requests':>10}{'errors':>8}{'settle/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for r in results:
        print(f"{r['database']:12}{r['clients']:>8}{r['workers']:>8}{r['requests']:>10}{r['errors']:>8}{r['settlements_per_s']:>10}"
              f"{r['p50_ms']:>9}{r['p99_ms']:>9}")  # fmt: skip
    (OUT / "http.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {OUT / 'http.json'}")


if __name__ == "__main__":
    main()
