"""pyodbc's Cursor.cancel() from another thread, Connection.timeout
(SQL_ATTR_QUERY_TIMEOUT of its statements), SQL_ATTR_CONNECTION_TIMEOUT and
the login timeout (pyodbc.connect(timeout=N)): a call waiting for a page
that the simulator trickles for minutes stops with HY008 or HYT00 while the
page is still arriving (Timeout is longer still), and the connection goes
on working."""

import json
import threading
import time
import urllib.request

import pyodbc
import pytest

# A 500-deal page then takes about an hour.
TRICKLE_BYTES_PER_SEC = 200
HANG_GUARD_SECONDS = 60


def sim_control(sim, method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(sim.base_url + path, data=data, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8") or "null")


@pytest.fixture
def trickled_first_deal_page(sim):
    sim_control(sim, "DELETE", "/__sim/requests")
    sim_control(sim, "PUT", "/__sim/faults", {
        "seed": 1,
        "rules": [{"kind": "slow_body", "bytes_per_sec": TRICKLE_BYTES_PER_SEC,
                   "path_prefix": "/api/v2/deals", "nth": 1}],
    })
    yield
    sim_control(sim, "DELETE", "/__sim/faults")


def deal_lists_started(sim):
    log = sim_control(sim, "GET", "/__sim/requests")
    return sum(1 for entry in log["requests"] if entry["path"] == "/api/v2/deals")


def slow_connection(sim):
    return pyodbc.connect(sim.connection_string(Timeout=900, RetryCount=0))


def test_cancel_from_another_thread_stops_a_waiting_query(sim, trickled_first_deal_page, api_deals):
    cnxn = slow_connection(sim)
    cursor = cnxn.cursor()
    failures = []

    def cancel_once_in_flight():
        give_up = time.monotonic() + HANG_GUARD_SECONDS
        while deal_lists_started(sim) < 1:
            if time.monotonic() > give_up:
                failures.append("the request never reached the simulator")
                return
            time.sleep(0.005)
        cursor.cancel()

    canceler = threading.Thread(target=cancel_once_in_flight)
    canceler.start()
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT Id, Title FROM Deals")
    canceler.join()
    assert not failures, failures
    assert raised.value.args[0] == "HY008", raised.value
    # The faults are used up (nth 1): the same cursor runs the query whole.
    ids = [row.Id for row in cursor.execute("SELECT Id FROM Deals").fetchall()]
    assert sorted(ids) == sorted(deal["id"] for deal in api_deals)
    cnxn.close()


def test_cursor_timeout_stops_a_waiting_query(sim, trickled_first_deal_page):
    cnxn = slow_connection(sim)
    cnxn.timeout = 1
    with pytest.raises(pyodbc.Error) as raised:
        cnxn.cursor().execute("SELECT * FROM Deals")
    assert raised.value.args[0] == "HYT00", raised.value
    assert "SQL_ATTR_QUERY_TIMEOUT" in str(raised.value)
    cnxn.timeout = 0
    assert cnxn.cursor().execute("SELECT COUNT(*) FROM Deals").fetchval() > 0
    cnxn.close()


def set_faults(sim, *rules):
    sim_control(sim, "PUT", "/__sim/faults", {"seed": 1, "rules": list(rules)})


def test_login_timeout_bounds_connecting_and_nothing_after(sim, api_deals):
    # pyodbc.connect(timeout=N) sets SQL_ATTR_LOGIN_TIMEOUT.
    set_faults(sim, {"kind": "latency", "ms": 30_000, "path_prefix": "/api/v1/users/me"})
    try:
        with pytest.raises(pyodbc.Error) as raised:
            pyodbc.connect(sim.connection_string(Timeout=900, RetryCount=0), timeout=1)
        assert raised.value.args[0] == "HYT00", raised.value
        assert "SQL_ATTR_LOGIN_TIMEOUT" in str(raised.value)
        # Logged in quickly, the connection's requests keep the whole
        # Timeout: pages slower than the login timeout still arrive.
        set_faults(sim, {"kind": "latency", "ms": 1_500, "path_prefix": "/api/v2/deals"})
        cnxn = pyodbc.connect(sim.connection_string(RetryCount=0), timeout=1)
        ids = [row.Id for row in cnxn.cursor().execute("SELECT Id FROM Deals").fetchall()]
        assert sorted(ids) == sorted(deal["id"] for deal in api_deals)
        cnxn.close()
    finally:
        sim_control(sim, "DELETE", "/__sim/faults")


SQL_ATTR_CONNECTION_TIMEOUT = 113


def test_connection_timeout_bounds_each_call(sim, trickled_first_deal_page):
    cnxn = slow_connection(sim)
    cnxn.set_attr(SQL_ATTR_CONNECTION_TIMEOUT, 1)
    with pytest.raises(pyodbc.Error) as raised:
        cnxn.cursor().execute("SELECT * FROM Deals")
    assert raised.value.args[0] == "HYT00", raised.value
    assert "SQL_ATTR_CONNECTION_TIMEOUT" in str(raised.value)
    cnxn.set_attr(SQL_ATTR_CONNECTION_TIMEOUT, 0)
    assert cnxn.cursor().execute("SELECT COUNT(*) FROM Deals").fetchval() > 0
    cnxn.close()
