"""Queries without a table: constants, parameters, CAST, ODBC escapes.

Checks both the value and the Python type pyodbc derives from the driver's
SQLDescribeCol (cursor.description[i][1]).
"""

import datetime
import decimal

import pyodbc
import pytest


def single_value(cursor, sql, *params):
    rows = cursor.execute(sql, *params).fetchall()
    assert len(rows) == 1, f"{sql}: {len(rows)} rows"
    assert len(rows[0]) == 1, f"{sql}: {len(rows[0])} columns"
    return rows[0][0], cursor.description[0][1]


def test_select_1_is_an_integer(cursor):
    value, python_type = single_value(cursor, "SELECT 1")
    assert value == 1
    assert python_type is int
    assert type(value) is int


def test_several_constants_in_one_row(cursor):
    row = cursor.execute("SELECT 1, 'abc', 2 + 3").fetchone()
    assert tuple(row) == (1, "abc", 5)
    assert [column[1] for column in cursor.description] == [int, str, int]


def test_string_constant(cursor):
    value, python_type = single_value(cursor, "SELECT 'Pipedrive'")
    assert value == "Pipedrive"
    assert python_type is str


def test_decimal_constant(cursor):
    value, python_type = single_value(cursor, "SELECT 1.5")
    assert python_type in (float, decimal.Decimal)
    assert value == python_type("1.5")


def test_select_without_from_has_one_row_and_then_no_more(cursor):
    cursor.execute("SELECT 1")
    assert cursor.fetchone() is not None
    assert cursor.fetchone() is None


@pytest.mark.parametrize(
    "parameter",
    [
        42,
        -7,
        2**40,
        "plain ascii",
        "Ünïcödé Straße",
        "emoji 😀 and 𝔘 need surrogate pairs",
        "",
        datetime.date(2026, 1, 15),
    ],
    ids=["int", "negative", "bigint", "ascii", "latin", "astral", "empty", "date"],
)
def test_parameter_round_trips(cursor, parameter):
    value, _ = single_value(cursor, "SELECT ?", parameter)
    assert value == parameter
    assert type(value) is type(parameter)


def test_two_parameters(cursor):
    row = cursor.execute("SELECT ?, ?", 3, "x").fetchone()
    assert tuple(row) == (3, "x")


def test_null_parameter_gives_null(cursor):
    value, _ = single_value(cursor, "SELECT ?", None)
    assert value is None


@pytest.mark.parametrize(
    "sql, expected, expected_type",
    [
        ("SELECT CAST('42' AS INTEGER)", 42, int),
        ("SELECT CAST(42 AS VARCHAR(10))", "42", str),
        ("SELECT CAST('2026-01-15' AS DATE)", datetime.date(2026, 1, 15), datetime.date),
        (
            "SELECT CAST('2026-01-15 10:20:30' AS TIMESTAMP)",
            datetime.datetime(2026, 1, 15, 10, 20, 30),
            datetime.datetime,
        ),
    ],
    ids=["to-integer", "to-varchar", "to-date", "to-timestamp"],
)
def test_cast(cursor, sql, expected, expected_type):
    value, python_type = single_value(cursor, sql)
    assert value == expected
    assert python_type is expected_type


def test_cast_to_double(cursor):
    value, python_type = single_value(cursor, "SELECT CAST('2.5' AS DOUBLE PRECISION)")
    assert python_type is float
    assert value == 2.5


def test_cast_of_a_non_number_to_integer_is_an_error(cursor):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT CAST('abc' AS INTEGER)").fetchall()
    # 22018: invalid character value for cast specification.
    assert raised.value.args[0] == "22018", raised.value.args


def test_ucase_escape(cursor):
    value, python_type = single_value(cursor, "SELECT {fn UCASE('x')}")
    assert value == "X"
    assert python_type is str


# ODBC scalar string functions, with the SQL_FN_STR_* bit the driver must
# report in SQL_STRING_FUNCTIONS for each one it supports.
STRING_FUNCTIONS = [
    ("LCASE", 0x00000040, "SELECT {fn LCASE('AbC')}", "abc"),
    ("CONCAT", 0x00000001, "SELECT {fn CONCAT('ab', 'cd')}", "abcd"),
    ("LENGTH", 0x00000010, "SELECT {fn LENGTH('abcd')}", 4),
    ("LTRIM", 0x00000080, "SELECT {fn LTRIM('  a')}", "a"),
    ("RTRIM", 0x00000200, "SELECT {fn RTRIM('a  ')}", "a"),
    ("SUBSTRING", 0x00000800, "SELECT {fn SUBSTRING('abcdef', 2, 3)}", "bcd"),
    ("LEFT", 0x00000004, "SELECT {fn LEFT('abcdef', 2)}", "ab"),
    ("RIGHT", 0x00000400, "SELECT {fn RIGHT('abcdef', 2)}", "ef"),
]


def test_ucase_is_reported_in_string_functions(cnxn):
    SQL_FN_STR_UCASE = 0x00000100
    assert cnxn.getinfo(pyodbc.SQL_STRING_FUNCTIONS) & SQL_FN_STR_UCASE


@pytest.mark.parametrize("name, bit, sql, expected", STRING_FUNCTIONS, ids=[f[0] for f in STRING_FUNCTIONS])
def test_string_functions_the_driver_reports(cnxn, name, bit, sql, expected):
    if not cnxn.getinfo(pyodbc.SQL_STRING_FUNCTIONS) & bit:
        pytest.skip(f"driver does not report {name} in SQL_STRING_FUNCTIONS")
    assert cnxn.cursor().execute(sql).fetchone()[0] == expected


def test_date_escape(cursor):
    value, python_type = single_value(cursor, "SELECT {d '2026-01-15'}")
    assert value == datetime.date(2026, 1, 15)
    assert python_type is datetime.date


def test_timestamp_escape(cursor):
    value, python_type = single_value(cursor, "SELECT {ts '2026-01-15 10:20:30'}")
    assert value == datetime.datetime(2026, 1, 15, 10, 20, 30)
    assert python_type is datetime.datetime


def test_time_escape(cursor):
    value, python_type = single_value(cursor, "SELECT {t '10:20:30'}")
    assert value == datetime.time(10, 20, 30)
    assert python_type is datetime.time


def test_invalid_date_escape_is_an_error(cursor):
    with pytest.raises(pyodbc.Error) as raised:
        cursor.execute("SELECT {d '2026-02-30'}").fetchall()
    # 22007: invalid datetime format; 22008: datetime field overflow.
    assert raised.value.args[0] in ("22007", "22008"), raised.value.args
