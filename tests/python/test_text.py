"""Text fidelity: non-ASCII, UTF-16 surrogate pairs, long values."""

import pyodbc
import pytest

# ODBC SQL type codes of the long character types, and all character types.
SQL_LONGVARCHAR = -1
SQL_WLONGVARCHAR = -10
CHARACTER_TYPES = {1, 12, SQL_LONGVARCHAR, -8, -9, SQL_WLONGVARCHAR}
# Longer than this needs SQLGetData in pieces with typical 4 KB buffers.
LONG_TEXT_THRESHOLD = 4000
# Longer than the 255 characters that short-text columns often stop at.
LONG_TEXT_MIN_CHARS = 1000


def is_astral(text):
    """True when the text has a character outside the BMP (a surrogate pair in UTF-16)."""
    return any(ord(ch) > 0xFFFF for ch in text)


def test_every_title_round_trips_exactly(cursor, api_deals):
    titles = {row.Id: row.Title for row in cursor.execute("SELECT Id, Title FROM Deals").fetchall()}
    mismatched = [(d["id"], d["title"], titles.get(d["id"])) for d in api_deals if titles.get(d["id"]) != d["title"]]
    assert not mismatched, f"{len(mismatched)} titles differ, e.g. {mismatched[:3]}"


def test_simulator_data_has_non_ascii_and_astral_titles(api_deals):
    """Guards the round-trip test above: it only proves something if the data
    has such titles."""
    assert any(not d["title"].isascii() for d in api_deals), "no non-ASCII deal title in the simulator data"
    assert any(is_astral(d["title"]) for d in api_deals), "no deal title with a surrogate pair in the simulator data"


def test_astral_title_as_a_parameter_finds_its_deal(cursor, api_deals):
    deal = next((d for d in api_deals if is_astral(d["title"])), None)
    if deal is None:
        pytest.skip("the simulator data has no deal title with a surrogate pair")
    rows = cursor.execute("SELECT Id, Title FROM Deals WHERE Title = ?", deal["title"]).fetchall()
    assert deal["id"] in [row.Id for row in rows]
    assert all(row.Title == deal["title"] for row in rows)


def test_astral_text_survives_scalar_functions(cursor):
    text = "a😀b"
    assert cursor.execute("SELECT {fn UCASE(?)}", text).fetchone()[0] == "A😀B"


def long_text_columns(cursor, table):
    return [
        column.column_name
        for column in cursor.columns(table=table)
        if column.data_type in (SQL_LONGVARCHAR, SQL_WLONGVARCHAR)
        or (column.column_size or 0) > LONG_TEXT_THRESHOLD
    ]


def quoted(cursor, name):
    """An identifier quoted the driver's way (custom-field columns may hold spaces)."""
    quote = cursor.connection.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR).strip()
    return f"{quote}{name}{quote}" if quote else name


def character_columns(cursor, table):
    return [column.column_name for column in cursor.columns(table=table) if column.data_type in CHARACTER_TYPES]


def string_fields(deal):
    """(location, value) of every string field of an API deal, top level and custom."""
    for key, value in deal.items():
        if isinstance(value, str):
            yield ("top", key), value
    for key, value in (deal.get("custom_fields") or {}).items():
        if isinstance(value, str):
            yield ("custom", key), value


def api_field_value(deal, location):
    where, key = location
    return deal.get(key) if where == "top" else (deal.get("custom_fields") or {}).get(key)


def test_longest_text_field_round_trips(cursor, api_deals):
    """The API's longest deal text (a large "text" custom field in the
    simulator) must come back whole, for every deal, from some column."""
    location, longest_deal, longest_text = max(
        ((location, deal, value) for deal in api_deals for location, value in string_fields(deal)),
        key=lambda item: len(item[2]),
    )
    if len(longest_text) <= LONG_TEXT_MIN_CHARS:
        pytest.skip(f"the simulator's longest deal text has only {len(longest_text)} characters")
    columns = character_columns(cursor, "Deals")
    select_list = ", ".join(quoted(cursor, name) for name in columns)
    row = cursor.execute(f"SELECT {select_list} FROM Deals WHERE Id = ?", longest_deal["id"]).fetchone()
    matching = [name for name, value in zip(columns, row) if value == longest_text]
    assert matching, (
        f"no Deals column returns the {len(longest_text)}-character {location} field of deal {longest_deal['id']}; "
        f"longest returned: {max((len(v) for v in row if isinstance(v, str)), default=0)} characters"
    )
    column = matching[0]
    values = {r[0]: r[1] for r in cursor.execute(f"SELECT Id, {quoted(cursor, column)} FROM Deals").fetchall()}
    mismatched = [d["id"] for d in api_deals if values.get(d["id"]) != api_field_value(d, location)]
    assert not mismatched, f"{column} differs from the API for deals {mismatched[:5]}"


def test_values_longer_than_4000_characters_round_trip(cursor, api_deals):
    """Only meaningful when the simulator has such values: pyodbc then reads
    them with repeated SQLGetData calls."""
    longest = max(len(value) for deal in api_deals for _, value in string_fields(deal))
    if longest <= LONG_TEXT_THRESHOLD:
        pytest.skip(f"the simulator's longest deal text has {longest} characters (<= {LONG_TEXT_THRESHOLD})")
    columns = long_text_columns(cursor, "Deals")
    assert columns, f"a deal has a {longest}-character text but no Deals column is a long text type"
    lengths = []
    for column in columns:
        for row in cursor.execute(f"SELECT {quoted(cursor, column)} FROM Deals").fetchall():
            if row[0]:
                lengths.append(len(row[0]))
    assert max(lengths) == longest
