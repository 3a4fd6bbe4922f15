"""Runs ODBC actions in a fresh process and prints their results as JSON.

unixODBC reads odbc.ini / odbcinst.ini locations once per process (from
ODBCINI and ODBCSYSINI) and caches what it read, so each DSN test runs its
connects here, in a child started with its own environment.

stdin: a JSON list of actions; stdout: a JSON list of results, one each.
  {"kind": "pyodbc", "connect": STR, "sql": STR, "getinfo": [NAME, ...]}
      -> {"rows": [[...], ...], "info": {NAME: VALUE}} or {"error": [SQLSTATE, MESSAGE]}
  {"kind": "driver_connect", "connect": STR}
      -> {"rc": INT, "diagnostics": [[SQLSTATE, NATIVE, MESSAGE]], "out": STR|null}
  {"kind": "sql_connect" or "sql_connect_w", "dsn": STR, "user": STR|null, "password": STR|null}
      -> {"rc": INT, "diagnostics": [...]}      (SQLConnect / SQLConnectW)
"""

import json
import sys

import pyodbc

import odbc_ctypes

pyodbc.pooling = False


def run_pyodbc(action):
    try:
        connection = pyodbc.connect(action["connect"])
    except pyodbc.Error as error:
        return {"error": [error.args[0], str(error)]}
    try:
        info = {name: connection.getinfo(getattr(pyodbc, name)) for name in action.get("getinfo", [])}
        rows = []
        if action.get("sql"):
            rows = [list(row) for row in connection.cursor().execute(action["sql"]).fetchall()]
        return {"rows": rows, "info": info}
    except pyodbc.Error as error:
        return {"error": [error.args[0], str(error)]}
    finally:
        connection.close()


def run(action):
    kind = action["kind"]
    if kind == "pyodbc":
        return run_pyodbc(action)
    if kind == "driver_connect":
        result = odbc_ctypes.driver_connect(action["connect"])
        return {"rc": result.return_code, "diagnostics": result.diagnostics, "out": result.out_connection_string}
    if kind in ("sql_connect", "sql_connect_w"):
        connect = odbc_ctypes.connect_dsn if kind == "sql_connect" else odbc_ctypes.connect_dsn_wide
        result = connect(action["dsn"], action.get("user"), action.get("password"))
        return {"rc": result.return_code, "diagnostics": result.diagnostics}
    raise ValueError(f"unknown action kind {kind!r}")


def main():
    actions = json.load(sys.stdin)
    json.dump([run(action) for action in actions], sys.stdout, default=str)


if __name__ == "__main__":
    main()
