"""Write throughput benchmark: pyodbc with fast_executemany=True (parameter
arrays) against a local pipedrive-sim, reporting rows per second and API
requests per row (counted from the simulator's request log).

    python3 benches/write_throughput.py [--rows N] [--no-doc]

Needs `cargo build --release --workspace` (driver and simulator) and
pyodbc (the repository's .venv has it). Writes the "Write throughput"
section of docs/benchmarks.md unless --no-doc.

Scenarios, each on the rows the previous one created:
- INSERT ... VALUES (?, ?, ?) with an array of N rows: one POST per row.
- UPDATE ... WHERE Id = ? with an array of N rows: one PATCH per row.
- UPDATE ... WHERE Currency = 'USD': the ids are selected first (list
  pages), then one PATCH per matching row.
- DELETE ... WHERE Id = ? with an array of N rows: one DELETE per row.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter

import pyodbc

REPO = pathlib.Path(__file__).resolve().parents[1]
DRIVER = REPO / "target" / "release" / "libpipedrive_odbc.so"
SIM = REPO / "target" / "release" / "pipedrive-sim"
HEADING = "## Write throughput"

pyodbc.pooling = False


def start_sim(workdir):
    port_file = pathlib.Path(workdir) / "port"
    token = "bench-" + secrets.token_hex(8)
    log = open(pathlib.Path(workdir) / "sim.log", "wb")
    process = subprocess.Popen(
        [str(SIM), "--port", "0", "--port-file", str(port_file), "--token", token,
         "--deals", "100", "--seed", "1", "--request-log-capacity", "1000000"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not (port_file.exists() and port_file.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit("pipedrive-sim did not start")
        time.sleep(0.05)
    return process, f"http://127.0.0.1:{port_file.read_text().strip()}", token


def sim_json(base, token, path, method="GET"):
    request = urllib.request.Request(base + path, method=method, headers={"x-api-token": token})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read().decode("utf-8"))


def measure(cursor, base, token, name, run, rows_of):
    sim_json(base, token, "/__sim/requests", method="DELETE")
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    log = sim_json(base, token, "/__sim/requests")
    assert log["dropped"] == 0, "request log overflowed"
    methods = Counter(r["method"] for r in log["requests"])
    rows = rows_of()
    return {
        "scenario": name,
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "requests": sum(methods.values()),
        "requests_per_row": sum(methods.values()) / rows if rows else 0.0,
        "by_method": dict(sorted(methods.items())),
    }


def run(rows):
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        process, base, token = start_sim(workdir)
        try:
            conn = pyodbc.connect(
                f"Driver={DRIVER};APIToken={token};CompanyDomain=bench;APIBaseURL={base}",
                autocommit=True,
            )
            cursor = conn.cursor()
            cursor.fast_executemany = True
            cursor.execute("SELECT Id FROM Deals WHERE Id = 1").fetchall()
            data = [(f"bench-{i:06d}", float(i), "USD" if i % 2 else "EUR") for i in range(rows)]
            results.append(measure(
                cursor, base, token, "INSERT, array of parameters",
                lambda: cursor.executemany(
                    "INSERT INTO Deals (Title, Value, Currency) VALUES (?, ?, ?)", data),
                lambda: rows,
            ))
            ids = [r[0] for r in cursor.execute(
                "SELECT Id FROM Deals WHERE Title LIKE 'bench-%'").fetchall()]
            results.append(measure(
                cursor, base, token, "UPDATE WHERE Id = ?, array",
                lambda: cursor.executemany(
                    "UPDATE Deals SET Probability = ? WHERE Id = ?", [(50.0, i) for i in ids]),
                lambda: len(ids),
            ))
            changed = {}

            def update_where():
                cursor.fast_executemany = False
                cursor.execute("UPDATE Deals SET LostReason = 'usd' WHERE Currency = 'USD'")
                changed["rows"] = cursor.rowcount
                cursor.fast_executemany = True

            results.append(measure(
                cursor, base, token, "UPDATE WHERE Currency = 'USD' (ids selected first)",
                update_where, lambda: changed["rows"],
            ))
            results.append(measure(
                cursor, base, token, "DELETE WHERE Id = ?, array",
                lambda: cursor.executemany("DELETE FROM Deals WHERE Id = ?", [(i,) for i in ids]),
                lambda: len(ids),
            ))
            conn.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    return results


def section(results, rows):
    lines = [
        HEADING,
        "",
        f"Generated by `python3 benches/write_throughput.py --rows {rows}` on "
        f"{datetime.date.today().isoformat()} ({platform.machine()}, {os.cpu_count()} CPUs, "
        "driver and simulator on the same machine, loopback HTTP, no latency injected). "
        "pyodbc `executemany` with `fast_executemany=True` sends the rows as one "
        "parameter array (SQL_ATTR_PARAMSET_SIZE); requests are counted from the "
        "simulator's request log. One request per row is the API's minimum: "
        "Pipedrive has no bulk create, update or delete for these entities.",
        "",
        "| Scenario | Rows | Seconds | Rows/s | Requests | Requests/row | By method |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        methods = ", ".join(f"{m} {n}" for m, n in r["by_method"].items())
        lines.append(
            f"| {r['scenario']} | {r['rows']} | {r['seconds']:.2f} | {r['rows_per_s']:.0f} | "
            f"{r['requests']} | {r['requests_per_row']:.3f} | {methods} |"
        )
    lines.append("")
    lines.append(
        "Against Pipedrive itself the time is dominated by the round trip of each "
        "request and by the rate limit (a POST costs tokens of the daily budget); the "
        "driver sends the rows of a batch one after another, in order, so that a "
        "failure stops the batch at a known row."
    )
    return "\n".join(lines) + "\n"


def splice(doc, new):
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    start = text.find(HEADING + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + new
    else:
        end = text.find("\n## ", start + len(HEADING))
        rest = "" if end < 0 else text[end + 1:]
        text = text[:start] + new + ("\n" + rest if rest else "")
    doc.write_text(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    results = run(args.rows)
    text = section(results, args.rows)
    print(text)
    if not args.no_doc:
        splice(REPO / "docs" / "benchmarks.md", text)
        print("wrote the Write throughput section of docs/benchmarks.md", file=sys.stderr)


if __name__ == "__main__":
    main()
