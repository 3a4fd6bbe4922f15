"""Errors: SQLSTATEs and messages, connect time-outs, and token secrecy."""

import contextlib
import socket
import time

import pyodbc
import pytest

import odbc_ctypes

# How much longer than Timeout= a failing connect may take (process and
# driver-manager overhead, one DNS-free loopback connect).
TIMEOUT_SLACK_SECONDS = 2.0


def sqlstate_of(error):
    return error.args[0] if error.args else None


def message_of(error):
    return error.args[1] if len(error.args) > 1 else str(error)


@contextlib.contextmanager
def closed_loopback_port():
    """A loopback port nothing listens on (bound, then released)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield port


@contextlib.contextmanager
def silent_loopback_server():
    """A loopback port that accepts TCP connections (kernel backlog) but never
    answers: a request to it can only end by the client's time-out."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def connect_error(connection_string):
    """Connects and runs one query; returns the pyodbc.Error and the seconds taken."""
    started = time.monotonic()
    with pytest.raises(pyodbc.Error) as raised:
        connection = pyodbc.connect(connection_string)
        try:
            connection.cursor().execute("SELECT Id FROM Deals LIMIT 1").fetchall()
        finally:
            connection.close()
    return raised.value, time.monotonic() - started


def connect_only_error(connection_string):
    """pyodbc.connect must itself fail; returns the error and the seconds taken."""
    started = time.monotonic()
    with pytest.raises(pyodbc.Error) as raised:
        pyodbc.connect(connection_string).close()
    return raised.value, time.monotonic() - started


def test_bad_token_is_28000_with_pipedrives_message(sim, api):
    wrong_token = "wrong-" + sim.token[::-1]
    error, _ = connect_only_error(sim.connection_string(APIToken=wrong_token))
    assert sqlstate_of(error) == "28000", error.args
    pipedrive_text = api.error_text_for_bad_token()
    assert pipedrive_text in message_of(error), (pipedrive_text, message_of(error))
    assert wrong_token not in message_of(error)


def test_unreachable_host_is_08001_within_the_timeout(sim):
    timeout = 5
    with closed_loopback_port() as port:
        error, elapsed = connect_only_error(
            sim.connection_string(APIBaseURL=f"http://127.0.0.1:{port}", Timeout=timeout)
        )
    assert sqlstate_of(error) == "08001", error.args
    assert elapsed < timeout + TIMEOUT_SLACK_SECONDS, f"connect took {elapsed:.1f} s"


def test_silent_server_fails_within_the_timeout(sim):
    timeout = 2
    with silent_loopback_server() as port:
        error, elapsed = connect_only_error(
            sim.connection_string(APIBaseURL=f"http://127.0.0.1:{port}", Timeout=timeout)
        )
    # 08001: no connection could be established; HYT00: timeout expired.
    assert sqlstate_of(error) in ("08001", "HYT00"), error.args
    assert elapsed < timeout + TIMEOUT_SLACK_SECONDS, f"connect took {elapsed:.1f} s"


def test_unknown_connection_string_key_is_warning_01S00(sim):
    result = odbc_ctypes.driver_connect(sim.connection_string(NoSuchKeyword="1"))
    assert result.return_code == odbc_ctypes.SQL_SUCCESS_WITH_INFO, result
    assert "01S00" in result.sqlstates, result


def test_known_keys_connect_without_warning(sim):
    result = odbc_ctypes.driver_connect(sim.connection_string())
    assert result.return_code == odbc_ctypes.SQL_SUCCESS, result


def test_unknown_table_is_42S02_and_names_it(cursor):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT * FROM NoSuchTable")
    assert sqlstate_of(raised.value) == "42S02", raised.value.args
    assert "NoSuchTable" in message_of(raised.value)


def test_unknown_column_is_42S22_and_names_it(cursor):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT NoSuchColumn FROM Deals")
    assert sqlstate_of(raised.value) == "42S22", raised.value.args
    assert "NoSuchColumn" in message_of(raised.value)


def test_unknown_column_in_where_is_42S22(cursor):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT Id FROM Deals WHERE Missing = 1")
    assert sqlstate_of(raised.value) == "42S22", raised.value.args
    assert "Missing" in message_of(raised.value)


@pytest.mark.parametrize(
    "sql",
    ["SELEC Id FROM Deals", "SELECT Id FROM Deals WHERE", "SELECT Id FROM Deals LIMIT"],
    ids=["misspelt-keyword", "dangling-where", "dangling-limit"],
)
def test_syntax_error_is_42000(cursor, sql):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute(sql)
    assert sqlstate_of(raised.value) == "42000", raised.value.args


def test_connection_still_works_after_errors(cnxn, api_deals):
    cursor = cnxn.cursor()
    for sql in ("SELECT * FROM NoSuchTable", "SELEC 1", "SELECT Nope FROM Deals"):
        with pytest.raises(pyodbc.Error):
            cursor.execute(sql)
    assert cursor.execute("SELECT Id FROM Deals LIMIT 1").fetchone()[0] == api_deals[0]["id"]


# String-valued SQLGetInfo types an application may show or log.
STRING_INFO_TYPES = [
    "SQL_DATA_SOURCE_NAME", "SQL_DATABASE_NAME", "SQL_DBMS_NAME", "SQL_DBMS_VER",
    "SQL_DRIVER_NAME", "SQL_DRIVER_ODBC_VER", "SQL_DRIVER_VER", "SQL_SERVER_NAME",
    "SQL_USER_NAME", "SQL_KEYWORDS", "SQL_IDENTIFIER_QUOTE_CHAR", "SQL_CATALOG_TERM",
    "SQL_SCHEMA_TERM", "SQL_TABLE_TERM", "SQL_PROCEDURE_TERM", "SQL_SEARCH_PATTERN_ESCAPE",
    "SQL_SPECIAL_CHARACTERS", "SQL_CATALOG_NAME_SEPARATOR", "SQL_COLLATION_SEQ",
    "SQL_ACCESSIBLE_TABLES", "SQL_ACCESSIBLE_PROCEDURES", "SQL_DATA_SOURCE_READ_ONLY",
    "SQL_DESCRIBE_PARAMETER", "SQL_NEED_LONG_DATA_LEN", "SQL_ODBC_VER",
]


def test_token_never_appears_in_messages_or_getinfo(sim, cnxn):
    token = sim.token
    texts = []
    for info_name in STRING_INFO_TYPES:
        info_type = getattr(pyodbc, info_name, None)
        if info_type is None:
            continue
        value = cnxn.getinfo(info_type)
        texts.append(f"{info_name}={value}")
    cursor = cnxn.cursor()
    for sql in (
        "SELECT * FROM NoSuchTable", "SELECT NoSuchColumn FROM Deals", "SELEC 1",
        "SELECT CAST('abc' AS INTEGER)",
    ):
        try:
            cursor.execute(sql).fetchall()
        except pyodbc.Error as error:
            texts.append(str(error))
    with closed_loopback_port() as port:
        error, _ = connect_error(sim.connection_string(APIBaseURL=f"http://127.0.0.1:{port}", Timeout=3))
        texts.append(str(error))
    with silent_loopback_server() as port:
        error, _ = connect_error(sim.connection_string(APIBaseURL=f"http://127.0.0.1:{port}", Timeout=1))
        texts.append(str(error))
    result = odbc_ctypes.driver_connect(sim.connection_string(NoSuchKeyword="1"))
    texts.extend(message for _, _, message in result.diagnostics)
    leaks = [text for text in texts if token in text]
    assert not leaks, f"the API token appears in: {leaks}"
