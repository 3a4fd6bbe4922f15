"""SELECTs over the Pipedrive tables, checked against the simulator's API.

Every expected result is computed in Python from the API's own listing of
the same records (see conftest.api_deals); nothing is hard-coded.
"""

import collections
import datetime
import decimal

import pyodbc
import pytest

from expected_schema import ALL_TABLES
from simapi import pascal_case



def ids_of(rows):
    return [row[0] for row in rows]


def test_first_five_deals(cursor, api_deals):
    rows = cursor.execute("SELECT Id, Title FROM Deals LIMIT 5").fetchall()
    assert [(row.Id, row.Title) for row in rows] == [(d["id"], d["title"]) for d in api_deals[:5]]
    assert [column[0] for column in cursor.description] == ["Id", "Title"]
    assert cursor.description[0][1] is int
    assert cursor.description[1][1] is str


def test_limit_5_does_not_page_through_the_whole_table(cursor, api, api_deals):
    """LIMIT must stop the paging early: the simulator counts the requests
    and rows it served per endpoint (GET /__sim/stats)."""
    before = deals_endpoint_stats(api)
    rows = cursor.execute("SELECT Id, Title FROM Deals LIMIT 5").fetchall()
    after = deals_endpoint_stats(api)
    assert len(rows) == 5
    requests = after["requests"] - before["requests"]
    rows_served = after["rows"] - before["rows"]
    assert 1 <= requests <= 2, f"LIMIT 5 made {requests} requests to the deal list"
    assert rows_served < len(api_deals), f"LIMIT 5 fetched {rows_served} deals"


def deals_endpoint_stats(api):
    """Requests and rows served by the deal list endpoints (v2, and v1 in case
    the driver lists deals through it)."""
    endpoints = api.get("/__sim/stats")["endpoints"]
    totals = {"requests": 0, "rows": 0}
    for key in ("GET /api/v2/deals", "GET /api/v1/deals"):
        for counter in totals:
            totals[counter] += endpoints.get(key, {}).get(counter, 0)
    return totals


def test_full_scan_returns_every_deal_exactly_once(cursor, api_deals):
    ids = ids_of(cursor.execute("SELECT Id FROM Deals").fetchall())
    duplicates = [i for i, n in collections.Counter(ids).items() if n > 1]
    assert not duplicates, f"deals returned more than once: {duplicates[:10]}"
    assert sorted(ids) == sorted(d["id"] for d in api_deals)


def test_full_scan_in_small_fetches_matches_fetchall(cnxn, api_deals):
    """Fetching in small batches sees every deal once, like fetchall."""
    cursor = cnxn.cursor()
    cursor.execute("SELECT Id FROM Deals")
    ids = []
    while True:
        batch = cursor.fetchmany(7)
        if not batch:
            break
        ids.extend(ids_of(batch))
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(d["id"] for d in api_deals)


@pytest.mark.parametrize("table, resource", [("Persons", "persons"), ("Organizations", "organizations")])
def test_full_scan_of_other_entities(cursor, api, table, resource):
    expected = sorted(item["id"] for item in api.list_v2(resource))
    assert sorted(ids_of(cursor.execute(f"SELECT Id FROM {table}").fetchall())) == expected


@pytest.mark.parametrize("table", ALL_TABLES)
def test_every_table_can_be_selected(cursor, table):
    cursor.execute(f"SELECT * FROM {table} LIMIT 3")
    assert cursor.description, f"{table} has no columns"
    rows = cursor.fetchall()
    assert len(rows) <= 3


def test_select_star_columns_follow_the_catalog(cursor):
    cursor.execute("SELECT * FROM Deals LIMIT 1")
    selected = [column[0] for column in cursor.description]
    catalog = [row.column_name for row in cursor.columns(table="Deals")]
    assert selected == catalog


def test_where_equality_on_a_string(cursor, api_deals):
    status = collections.Counter(d["status"] for d in api_deals).most_common(1)[0][0]
    rows = cursor.execute("SELECT Id FROM Deals WHERE Status = ? ORDER BY Id", status).fetchall()
    assert ids_of(rows) == sorted(d["id"] for d in api_deals if d["status"] == status)


def test_where_equality_on_owner(cursor, api_deals):
    owner = collections.Counter(d["owner_id"] for d in api_deals).most_common(1)[0][0]
    rows = cursor.execute(f"SELECT Id, OwnerId FROM Deals WHERE OwnerId = {owner} ORDER BY Id").fetchall()
    assert ids_of(rows) == sorted(d["id"] for d in api_deals if d["owner_id"] == owner)
    assert all(row.OwnerId == owner for row in rows)


def test_range_with_order_by_and_limit(cursor, api_deals):
    values = sorted(d["value"] for d in api_deals if d["value"] is not None)
    low, high = values[len(values) // 4], values[len(values) // 2]
    rows = cursor.execute(
        "SELECT Id, Value FROM Deals WHERE Value >= ? AND Value < ? ORDER BY Value DESC, Id LIMIT 25",
        low, high,
    ).fetchall()
    matching = [d for d in api_deals if d["value"] is not None and low <= d["value"] < high]
    expected = sorted(matching, key=lambda d: (-d["value"], d["id"]))[:25]
    assert [(row.Id, float(row.Value)) for row in rows] == [(d["id"], float(d["value"])) for d in expected]


def test_in_list_with_descending_order(cursor, api_deals):
    chosen = [api_deals[i]["id"] for i in (0, 17, 301, -1)] + [-1]
    in_list = ", ".join(str(i) for i in chosen)
    rows = cursor.execute(f"SELECT Id FROM Deals WHERE Id IN ({in_list}) ORDER BY Id DESC").fetchall()
    known = {d["id"] for d in api_deals}
    assert ids_of(rows) == sorted((i for i in chosen if i in known), reverse=True)


def test_between(cursor, api_deals):
    ids = sorted(d["id"] for d in api_deals)
    low, high = ids[100], ids[140]
    rows = cursor.execute(f"SELECT Id FROM Deals WHERE Id BETWEEN {low} AND {high} ORDER BY Id").fetchall()
    assert ids_of(rows) == [i for i in ids if low <= i <= high]


def test_is_null(cursor, api_deals):
    rows = cursor.execute("SELECT Id FROM Deals WHERE OrgId IS NULL ORDER BY Id").fetchall()
    assert ids_of(rows) == sorted(d["id"] for d in api_deals if d.get("org_id") is None)


def test_is_not_null_or_and_precedence(cursor, api_deals):
    status = collections.Counter(d["status"] for d in api_deals).most_common(2)[-1][0]
    rows = cursor.execute(
        "SELECT Id FROM Deals WHERE OrgId IS NOT NULL AND (Status = ? OR Value > ?) ORDER BY Id",
        status, 5000,
    ).fetchall()
    expected = sorted(
        d["id"] for d in api_deals
        if d.get("org_id") is not None
        and (d["status"] == status or (d["value"] is not None and d["value"] > 5000))
    )
    assert ids_of(rows) == expected


def test_parameterised_lookup_by_id(cursor, api_deals):
    deal = api_deals[1234]
    row = cursor.execute("SELECT Id, Title, Currency FROM Deals WHERE Id = ?", deal["id"]).fetchone()
    assert (row.Id, row.Title, row.Currency) == (deal["id"], deal["title"], deal["currency"])
    assert cursor.fetchone() is None


def test_prepared_statement_reused_with_new_parameters(cursor, api_deals):
    sql = "SELECT Title FROM Deals WHERE Id = ?"
    for deal in api_deals[10:15]:
        assert cursor.execute(sql, deal["id"]).fetchone()[0] == deal["title"]


def test_order_by_descending_id_with_limit(cursor, api_deals):
    rows = cursor.execute("SELECT Id FROM Deals ORDER BY Id DESC LIMIT 10").fetchall()
    assert ids_of(rows) == sorted((d["id"] for d in api_deals), reverse=True)[:10]


def test_columns_map_api_fields(cursor, api_deals):
    """Scalar API fields appear under their PascalCase name with the API value."""
    deal = api_deals[42]
    names = ["Id", "Title", "Currency", "Status", "OwnerId", "StageId", "PipelineId"]
    row = cursor.execute(f"SELECT {', '.join(names)} FROM Deals WHERE Id = ?", deal["id"]).fetchone()
    for name in names:
        api_field = next(key for key in deal if pascal_case(key) == name)
        assert getattr(row, name) == deal[api_field], name


def api_value_as(python_type, value):
    """An API JSON value converted to what pyodbc returns for the column type."""
    if value is None:
        return None
    if python_type is datetime.datetime:
        # Pipedrive timestamps are UTC, "2019-01-01T15:34:24Z".
        return datetime.datetime.strptime(value.replace(" ", "T").rstrip("Z"), "%Y-%m-%dT%H:%M:%S")
    if python_type is datetime.date:
        return datetime.date.fromisoformat(value)
    if python_type in (float, decimal.Decimal):
        return float(value)
    return python_type(value)


def test_every_column_of_a_top_level_field_matches_the_api(cursor, api_deals):
    """Each Deals column named after a scalar top-level API field holds the
    API's value, for every deal."""
    cursor.execute("SELECT * FROM Deals")
    description = cursor.description
    rows = {row.Id: row for row in cursor.fetchall()}
    api_keys = {pascal_case(key): key for key in api_deals[0]}
    checked = []
    for index, column in enumerate(description):
        name, python_type = column[0], column[1]
        key = api_keys.get(name)
        if key is None or any(isinstance(d.get(key), (list, dict)) for d in api_deals):
            continue
        mismatched = []
        for deal in api_deals:
            got = rows[deal["id"]][index]
            if python_type in (float, decimal.Decimal) and got is not None:
                got = float(got)
            if got != api_value_as(python_type, deal.get(key)):
                mismatched.append((deal["id"], deal.get(key), got))
        assert not mismatched, f"{name} differs from the API's {key}: {mismatched[:3]}"
        checked.append(name)
    assert {"Id", "Title", "Value", "Currency", "Status", "OwnerId"} <= set(checked), checked


def test_max_rows_caps_every_query(sim, api_deals):
    connection = pyodbc.connect(sim.connection_string(MaxRows=3))
    try:
        cursor = connection.cursor()
        assert ids_of(cursor.execute("SELECT Id FROM Deals").fetchall()) == [d["id"] for d in api_deals[:3]]
        assert len(cursor.execute("SELECT Id FROM Deals LIMIT 2").fetchall()) == 2
        assert len(cursor.execute("SELECT Id FROM Deals ORDER BY Id DESC").fetchall()) == 3
    finally:
        connection.close()
