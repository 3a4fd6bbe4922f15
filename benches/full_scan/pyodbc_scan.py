"""pyodbc client of the full-scan benchmark (run by run.sh, one scan per
process so /usr/bin/time measures this client alone).

    pyodbc_scan.py scan|first_row

Environment: FULL_SCAN_DRIVER, FULL_SCAN_TOKEN, FULL_SCAN_BASE_URL.
Prints one line `RESULT {json}`.
"""

import json
import os
import sys
import time
import urllib.request

import pyodbc

QUERY = "SELECT * FROM Deals"
BATCH = 1000

pyodbc.pooling = False


def connection_string():
    return (
        f"Driver={os.environ['FULL_SCAN_DRIVER']};"
        f"APIToken={os.environ['FULL_SCAN_TOKEN']};"
        f"CompanyDomain=bench;APIBaseURL={os.environ['FULL_SCAN_BASE_URL']}"
    )


def sim(path, method="GET"):
    request = urllib.request.Request(os.environ["FULL_SCAN_BASE_URL"] + path, method=method)
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"null")


def scan():
    started = time.perf_counter()
    conn = pyodbc.connect(connection_string())
    connected = time.perf_counter() - started
    scan_started = time.perf_counter()
    cursor = conn.cursor()
    cursor.execute(QUERY)
    rows = 0
    id_sum = 0
    first_batch = None
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        if first_batch is None:
            first_batch = time.perf_counter() - scan_started
        rows += len(batch)
        for row in batch:
            id_sum += row[0]
    elapsed = time.perf_counter() - scan_started
    print("RESULT " + json.dumps({
        "client": "pyodbc_fetchmany",
        "rows": rows,
        "columns": len(cursor.description),
        "connect_seconds": connected,
        "scan_seconds": elapsed,
        "first_batch_ms": None if first_batch is None else first_batch * 1e3,
        "id_sum": id_sum,
    }))


def first_row():
    conn = pyodbc.connect(connection_string())
    sim("/__sim/reset", "POST")
    started = time.perf_counter()
    cursor = conn.cursor()
    cursor.execute(QUERY)
    row = cursor.fetchone()
    elapsed = time.perf_counter() - started
    stats = sim("/__sim/stats")
    pages = stats["endpoints"].get("GET /api/v2/deals", {}).get("requests", 0)
    print("RESULT " + json.dumps({
        "client": "pyodbc_first_row",
        "first_row_ms": elapsed * 1e3,
        "pages_before_first_row": pages,
        "first_id": row[0],
    }))


if __name__ == "__main__":
    {"scan": scan, "first_row": first_row}[sys.argv[1]]()
