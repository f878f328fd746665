"""Benchmarks: gunicorn on PostgreSQL, measured with wrk; prints a Markdown table.

Usage (from the project folder, with the venv and wrk installed):

    createdb -h 127.0.0.1 -U postgres r2p_bench
    export DATABASE_URL=postgresql://postgres@127.0.0.1/r2p_bench
    .venv/bin/flask --app app db upgrade && .venv/bin/flask --app app seed-scale
    .venv/bin/python bench/run.py --connections 50 --seconds 20            # saturation
    .venv/bin/python bench/run.py --users 50 --seconds 40                  # 50 users, 1-5 s apart

The "floor" is /healthz through the same stack (one SELECT 1); the "limit" for the CSV export
is PostgreSQL's own COPY (...) TO STDOUT over an open connection, of the export's own SQL: the
same rows in the same order. Results and the machine are recorded by hand in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "scale network password"
EXPORT_RUNS = 7
PAGES = [
    ("floor: /healthz", "/healthz"),
    ("directory", "/focal-points/?region=002"),
    ("directory search", "/focal-points/?q=institution+12"),
    ("capacity map (Africa)", "/capacity/?region=002"),
    ("country page", "/countries/GHA"),
    ("assessments list", "/assessments/"),
    ("regional view: Africa", "/regions/m49/002"),
    ("regional view: ECOWAS", "/regions/orgs/ecowas"),
    ("regions compared", "/regions/compare"),
    ("lessons list", "/lessons/"),
    ("lesson search", "/lessons/?q=mediation"),
    ("lesson search (Chinese)", "/lessons/?q=%E6%97%A9%E6%9C%9F%E9%A2%84%E8%AD%A6"),
    ("lessons by theme and region", "/lessons/cross-regional"),
]


def export_sql() -> str:
    """The CSV export's own SQL (no filters, English names, no restricted needs), for COPY to
    stream exactly the rows the export writes, in the same order."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy.dialects import postgresql

    from r2p_network import create_app
    from r2p_network.capacity.queries import MapFilters, export_statement

    with create_app().test_request_context():
        stmt = export_statement(MapFilters(), include_restricted=False)
        return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def wrk(url: str, cookie: str, connections: int, seconds: int) -> dict[str, float]:
    """Requests per second, p50, p90 and p99 latency (ms), and errors from one wrk run.

    wrk's latency distribution lists the 50th, 75th, 90th and 99th percentiles (no 95th).
    """
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        found = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if found is None:  # no request finished
            return float("nan")
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"),
        "p90": ms("90"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }


def users(url: str, cookie: str, count: int, seconds: int) -> dict[str, float]:
    """*count* users in threads, each requesting *url* and then waiting 1-5 s, for *seconds*.

    wrk's own delay() cannot model this: its latency then includes part of the wait.
    """
    latencies: list[float] = []
    failures = [0]
    stop = time.time() + seconds

    def user(seed: int) -> None:
        pause = random.Random(seed)  # deterministic think times
        session = requests.Session()
        session.headers["Cookie"] = cookie
        time.sleep(pause.uniform(0, 5))  # users arrive spread out
        while time.time() < stop:
            start = time.perf_counter()
            response = session.get(url, timeout=30)
            latencies.append((time.perf_counter() - start) * 1000)
            failures[0] += response.status_code >= 400
            time.sleep(pause.uniform(1, 5))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)

    def percentile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "rps": len(ordered) / seconds,
        "p50": percentile(0.50),
        "p90": percentile(0.95),  # printed under the heading "p95" in this mode
        "p99": percentile(0.99),
        "errors": failures[0],
        "socket_errors": "",
    }


def settle(base: str) -> None:
    """Wait until requests queued by the previous page have drained, so each page is measured alone."""
    deadline = time.time() + 60
    while time.time() < deadline:
        start = time.perf_counter()
        urllib.request.urlopen(f"{base}/healthz", timeout=30)
        if time.perf_counter() - start < 0.05:
            return
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--export-only", action="store_true", help="measure the CSV export only")
    parser.add_argument(
        "--users",
        type=int,
        default=0,
        help="instead of wrk: this many users, each waiting 1-5 s between requests",
    )
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    env = {
        **os.environ,
        "SECRET_KEY": "bench-" + "k" * 40,
        "R2P_CONFIG": "development",
        "MAIL_BACKEND": "dummy",
        "LOGIN_MAX_FAILURES_PER_IP": "100000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        session = requests.Session()
        token = re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"', session.get(f"{base}/auth/login").text
        )
        session.post(
            f"{base}/auth/login",
            data={
                "csrf_token": token.group(1),
                "email": "member0000@scale.example.org",
                "password": PASSWORD,
            },
        )
        cookie = f"r2p_session={session.cookies['r2p_session']}"
        connection = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
        copy_sql = f"COPY ({export_sql()}) TO STDOUT WITH CSV"
        export_times, copy_times = [], []
        for _ in range(2 * args.workers):  # every worker warm (compiled statements, translations)
            session.get(f"{base}/capacity/export.csv").raise_for_status()
        for _ in range(EXPORT_RUNS):  # one export is ~0.1 s: take the median of several
            start = time.perf_counter()
            response = session.get(f"{base}/capacity/export.csv", stream=True)
            rows = sum(chunk.count(b"\n") for chunk in response.iter_content(65536)) - 1
            export_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            # The limit: PostgreSQL streaming the same rows as CSV over an open connection.
            copied = io.BytesIO()
            with connection.cursor() as cursor:
                cursor.copy_expert(copy_sql, copied)
            copy_times.append(time.perf_counter() - start)
            copied_rows = copied.getvalue().count(b"\n")
            if copied_rows != rows:
                raise SystemExit(f"COPY gave {copied_rows} rows, the export {rows}")
        connection.close()
        export_seconds, copy_seconds = statistics.median(export_times), statistics.median(copy_times)
        print(
            f"\nCSV export: {rows} rows, median of {EXPORT_RUNS}: {export_seconds:.3f} s = "
            f"{rows / export_seconds:.0f} rows/s; COPY of the same rows: {copy_seconds:.3f} s = "
            f"{rows / copy_seconds:.0f} rows/s; ratio {copy_seconds / export_seconds:.0%} of COPY"
        )
        if args.export_only:
            return
        middle = "p95" if args.users else "p90"
        print(
            f"| page | requests/s | p50 ms | {middle} ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|"
        )
        for label, path in PAGES:
            settle(base)
            if args.users:
                r = users(base + path, cookie, args.users, args.seconds)
            else:
                r = wrk(base + path, cookie, args.connections, args.seconds)
            print(
                f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
                f"| {r['errors']} {r['socket_errors']} |"
            )

    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
