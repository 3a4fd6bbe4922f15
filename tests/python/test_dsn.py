"""Connecting through DSNs defined in odbc.ini (SQLConnect and
SQLDriverConnect with DSN=...), in child processes with their own
ODBCINI/ODBCSYSINI (see dsn_child.py)."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

import odbc_ctypes
from build_paths import DRIVER_PATH

HERE = pathlib.Path(__file__).resolve().parent
DRIVER_NAME = "Pipedrive ODBC Driver"
CHILD_TIMEOUT_SECONDS = 120


@pytest.fixture(scope="module")
def odbc_env(sim, tmp_path_factory):
    """Environment for a child process whose unixODBC sees only our ini files."""
    config = tmp_path_factory.mktemp("odbc")
    (config / "odbcinst.ini").write_text(
        textwrap.dedent(
            f"""\
            [{DRIVER_NAME}]
            Description=driver under test
            Driver={DRIVER_PATH}
            """
        )
    )

    def dsn(name, driver, token):
        return textwrap.dedent(
            f"""\
            [{name}]
            Driver={driver}
            APIToken={token}
            CompanyDomain=demo
            APIBaseURL={sim.base_url}
            """
        )

    (config / "odbc.ini").write_text(
        "\n".join(
            [
                dsn("PdGood", DRIVER_NAME, sim.token),
                dsn("PdByPath", DRIVER_PATH, sim.token),
                dsn("PdBadToken", DRIVER_NAME, "wrong-" + sim.token[::-1]),
            ]
        )
    )
    env = dict(os.environ)
    env.update(
        ODBCSYSINI=str(config),
        ODBCINI=str(config / "odbc.ini"),
        # ~/.odbcinst.ini is read after the system file: keep the real one out.
        HOME=str(config),
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])),
    )
    return env


def run_child(env, actions):
    completed = subprocess.run(
        [sys.executable, str(HERE / "dsn_child.py")],
        input=json.dumps(actions),
        capture_output=True,
        text=True,
        env=env,
        timeout=CHILD_TIMEOUT_SECONDS,
    )
    assert completed.returncode == 0, f"child failed ({completed.returncode}):\n{completed.stderr}"
    return json.loads(completed.stdout)


FIRST_FIVE = "SELECT Id FROM Deals LIMIT 5"


def first_five_ids(api_deals):
    return [[d["id"]] for d in api_deals[:5]]


def test_dsn_with_registered_driver_name(odbc_env, api_deals):
    [result] = run_child(
        odbc_env,
        [{"kind": "pyodbc", "connect": "DSN=PdGood", "sql": FIRST_FIVE, "getinfo": ["SQL_DATA_SOURCE_NAME"]}],
    )
    assert "error" not in result, result
    assert result["rows"] == first_five_ids(api_deals)
    assert result["info"]["SQL_DATA_SOURCE_NAME"] == "PdGood"


def test_dsn_with_driver_path(odbc_env, api_deals):
    [result] = run_child(odbc_env, [{"kind": "pyodbc", "connect": "DSN=PdByPath", "sql": FIRST_FIVE}])
    assert result.get("rows") == first_five_ids(api_deals), result


def test_connection_string_keys_override_the_dsn(sim, odbc_env, api_deals):
    good_over_bad, bad_over_good = run_child(
        odbc_env,
        [
            {"kind": "pyodbc", "connect": f"DSN=PdBadToken;APIToken={sim.token}", "sql": FIRST_FIVE},
            {"kind": "pyodbc", "connect": "DSN=PdGood;APIToken=also-wrong", "sql": FIRST_FIVE},
        ],
    )
    assert good_over_bad.get("rows") == first_five_ids(api_deals), good_over_bad
    assert bad_over_good.get("error", [None])[0] == "28000", bad_over_good


def test_bad_token_in_dsn_is_28000(odbc_env):
    [result] = run_child(odbc_env, [{"kind": "pyodbc", "connect": "DSN=PdBadToken", "sql": FIRST_FIVE}])
    assert result.get("error", [None])[0] == "28000", result


@pytest.mark.parametrize("kind", ["sql_connect", "sql_connect_w"], ids=["SQLConnect", "SQLConnectW"])
def test_sqlconnect_to_a_dsn(odbc_env, kind):
    good, bad = run_child(
        odbc_env,
        [{"kind": kind, "dsn": "PdGood"}, {"kind": kind, "dsn": "PdBadToken"}],
    )
    assert good["rc"] in (odbc_ctypes.SQL_SUCCESS, odbc_ctypes.SQL_SUCCESS_WITH_INFO), good
    assert bad["rc"] == odbc_ctypes.SQL_ERROR, bad
    assert "28000" in [record[0] for record in bad["diagnostics"]], bad


def test_driver_connect_output_does_not_reveal_the_dsn_token(sim, odbc_env):
    [result] = run_child(odbc_env, [{"kind": "driver_connect", "connect": "DSN=PdGood"}])
    assert result["rc"] in (odbc_ctypes.SQL_SUCCESS, odbc_ctypes.SQL_SUCCESS_WITH_INFO), result
    assert result["out"], "SQLDriverConnect returned an empty connection string"
    assert sim.token not in result["out"]
    assert all(sim.token not in record[2] for record in result["diagnostics"])
