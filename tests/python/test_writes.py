"""Writes through pyodbc: executemany with fast_executemany=True (parameter
arrays, SQL_ATTR_PARAMSET_SIZE) of 10,000 rows at one API request per row,
and what an application sees when a row of a batch is invalid.

A simulator of its own (started like conftest's) keeps these writes away
from the read tests' data, with a request log large enough to count every
request of the batch.
"""

import json
import secrets
import subprocess
import time
import urllib.parse
import urllib.request

import pyodbc
import pytest

from build_paths import DRIVER_PATH, SIM_PATH

pyodbc.pooling = False

BATCH_ROWS = 10_000


class WriteSim:
    def __init__(self, process, port, token):
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        self.token = token

    def connection_string(self):
        return (
            f"Driver={DRIVER_PATH};APIToken={self.token};CompanyDomain=demo;"
            f"APIBaseURL={self.base_url}"
        )

    def _json(self, path, method="GET"):
        request = urllib.request.Request(
            self.base_url + path, method=method, headers={"x-api-token": self.token}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def clear_requests(self):
        self._json("/__sim/requests", method="DELETE")

    def requests(self):
        answer = self._json("/__sim/requests")
        assert answer["dropped"] == 0, "the request log overflowed"
        return answer["requests"]

    def deals(self, **params):
        """Every listed deal, from the API itself (cursor pages)."""
        out, cursor = [], None
        while True:
            query = {"limit": "500", **params}
            if cursor:
                query["cursor"] = cursor
            page = self._json("/api/v2/deals?" + urllib.parse.urlencode(query))
            out.extend(page["data"])
            cursor = (page.get("additional_data") or {}).get("next_cursor")
            if not cursor:
                return out


@pytest.fixture(scope="module")
def write_sim(tmp_path_factory):
    assert DRIVER_PATH.is_file(), f"driver not built: {DRIVER_PATH}"
    assert SIM_PATH.is_file(), f"simulator not built: {SIM_PATH}"
    state = tmp_path_factory.mktemp("write_sim")
    port_file = state / "port"
    token = "tok-" + secrets.token_hex(16)
    with open(state / "sim.log", "wb") as log:
        process = subprocess.Popen(
            [
                str(SIM_PATH), "--port", "0", "--port-file", str(port_file), "--token", token,
                "--deals", "20", "--seed", "3", "--request-log-capacity", "100000",
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, "pipedrive-sim exited"
            assert time.monotonic() < deadline, "pipedrive-sim wrote no port file"
            time.sleep(0.05)
        yield WriteSim(process, int(port_file.read_text().strip()), token)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_fast_executemany_writes_10000_rows_at_one_request_each(write_sim):
    connection = pyodbc.connect(write_sim.connection_string(), autocommit=True)
    cursor = connection.cursor()
    cursor.fast_executemany = True
    rows = [
        (f"bulk-{i:05d}", float(i) + 0.25, "EUR" if i % 2 else "USD")
        for i in range(BATCH_ROWS)
    ]
    # Prepare once outside the count (custom-field definitions are read the
    # first time the table is used on the connection).
    cursor.execute("SELECT Id FROM Deals WHERE Id = 1").fetchall()
    write_sim.clear_requests()
    cursor.executemany("INSERT INTO Deals (Title, Value, Currency) VALUES (?, ?, ?)", rows)
    requests = write_sim.requests()
    posts = [r for r in requests if r["method"] == "POST" and r["path"] == "/api/v2/deals"]
    assert len(posts) == BATCH_ROWS
    assert all(r["status"] in (200, 201) for r in posts)
    assert len(requests) == BATCH_ROWS, "no request besides the POSTs"

    created = {d["title"]: d for d in write_sim.deals() if d["title"].startswith("bulk-")}
    assert len(created) == BATCH_ROWS
    for title, value, currency in rows[:: BATCH_ROWS // 50]:
        assert created[title]["value"] == value
        assert created[title]["currency"] == currency

    # LAST_INSERT_ID() is the last row of the batch.
    last = cursor.execute("SELECT LAST_INSERT_ID()").fetchone()[0]
    assert last == created[rows[-1][0]]["id"]

    # UPDATE by id through an array: one PATCH per row, nothing read.
    ids = [created[title]["id"] for title, _, _ in rows[:2000]]
    write_sim.clear_requests()
    cursor.executemany(
        "UPDATE Deals SET LostReason = ? WHERE Id = ?", [(f"r{i}", i) for i in ids]
    )
    requests = write_sim.requests()
    assert [r["method"] for r in requests] == ["PATCH"] * len(ids)
    connection.close()


def test_an_invalid_row_fails_the_batch_before_any_request(write_sim):
    connection = pyodbc.connect(write_sim.connection_string(), autocommit=True)
    cursor = connection.cursor()
    cursor.fast_executemany = True
    cursor.execute("SELECT Id FROM Deals WHERE Id = 1").fetchall()
    rows = [(f"bad-{i}", None if i == 30 else f"title {i}") for i in range(60)]
    write_sim.clear_requests()
    with pytest.raises(pyodbc.IntegrityError) as failure:
        cursor.executemany("INSERT INTO Deals (LostReason, Title) VALUES (?, ?)", rows)
    message = str(failure.value)
    assert "Title" in message and "Row 31" in message, message
    assert write_sim.requests() == []
    assert not [d for d in write_sim.deals() if (d.get("lost_reason") or "").startswith("bad-")]
    connection.close()


def test_read_only_columns_are_named(write_sim):
    connection = pyodbc.connect(write_sim.connection_string(), autocommit=True)
    cursor = connection.cursor()
    with pytest.raises(pyodbc.ProgrammingError) as failure:
        cursor.execute("UPDATE Deals SET UpdateTime = ?, Title = 'x' WHERE Id = 1", "2026-01-01")
    assert "UpdateTime" in str(failure.value)
    assert "42000" in str(failure.value)
    columns = {c.column_name: c for c in cursor.columns(table="Deals")}
    # IS_READONLY and IS_REQUIRED follow the 18 ODBC columns.
    assert (columns["Id"][18], columns["Id"][19]) == ("YES", "NO")
    assert (columns["Title"][18], columns["Title"][19]) == ("NO", "YES")
    assert (columns["Value"][18], columns["Value"][19]) == ("NO", "NO")
    connection.close()
