"""Fixtures: one pipedrive-sim per test session, connections through unixODBC.

The driver is loaded by absolute path (Driver=/abs/path/libpipedrive_odbc.so),
so nothing needs to be installed (see build_paths.py).
"""

import secrets
import subprocess
import time

import pyodbc
import pytest

from build_paths import DRIVER_PATH, SIM_PATH
from simapi import SimApi

SIM_DEALS = 3000
SIM_SEED = 7
SIM_START_TIMEOUT_SECONDS = 60

# Every connect in these tests must reach the driver, not a pooled connection.
pyodbc.pooling = False


class Sim:
    """A running pipedrive-sim and how to reach it."""

    def __init__(self, process, port, token, log_path):
        self.process = process
        self.port = port
        self.token = token
        self.log_path = log_path
        self.base_url = f"http://127.0.0.1:{port}"
        self.api = SimApi(self.base_url, token)

    def connection_string(self, **overrides):
        """Driver-by-path connection string; overrides replace or add keys
        (a value of None drops the key)."""
        properties = {
            "Driver": str(DRIVER_PATH),
            "APIToken": self.token,
            "CompanyDomain": "demo",
            "APIBaseURL": self.base_url,
        }
        properties.update(overrides)
        return ";".join(f"{key}={value}" for key, value in properties.items() if value is not None)


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    assert DRIVER_PATH.is_file(), f"driver not built: {DRIVER_PATH} (cargo build --release --workspace)"
    assert SIM_PATH.is_file(), f"simulator not built: {SIM_PATH} (cargo build --release --workspace)"
    state = tmp_path_factory.mktemp("sim")
    port_file = state / "port"
    log_path = state / "sim.log"
    # A random token per run: the secrecy tests look for it in driver output.
    token = "tok-" + secrets.token_hex(16)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(SIM_PATH), "--port", "0", "--port-file", str(port_file), "--token", token,
                "--deals", str(SIM_DEALS), "--seed", str(SIM_SEED),
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SIM_START_TIMEOUT_SECONDS
        port_text = ""
        while not port_text:
            if process.poll() is not None:
                pytest.fail(f"pipedrive-sim exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"pipedrive-sim wrote no port file in {SIM_START_TIMEOUT_SECONDS} s:\n{log_path.read_text()}")
            if port_file.exists():
                port_text = port_file.read_text().strip()
            if not port_text:
                time.sleep(0.05)
        yield Sim(process, int(port_text), token, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def api(sim):
    return sim.api


@pytest.fixture(scope="session")
def api_deals(api):
    """All deals the API lists by default (deleted ones are not listed), in
    API order."""
    deals = api.list_v2("deals")
    # Most of the generated deals; the rest are deleted ones.
    assert len(deals) > SIM_DEALS // 2, f"simulator listed only {len(deals)} of {SIM_DEALS} deals"
    return deals


@pytest.fixture(scope="session")
def conn_str(sim):
    return sim.connection_string()


@pytest.fixture
def cnxn(conn_str):
    connection = pyodbc.connect(conn_str)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def cursor(cnxn):
    return cnxn.cursor()
