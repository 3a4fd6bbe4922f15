"""Catalog functions (SQLTables, SQLColumns, SQLPrimaryKeys, SQLForeignKeys,
SQLStatistics, SQLGetTypeInfo, SQLProcedures) and their agreement with
SQLDescribeCol."""

import datetime
import decimal

import pytest

from expected_schema import ALL_TABLES

# ODBC SQL type code -> the Python type pyodbc returns for it.
PYTHON_TYPE_OF_SQL_TYPE = {
    1: str, 12: str, -1: str,  # CHAR, VARCHAR, LONGVARCHAR
    -8: str, -9: str, -10: str,  # WCHAR, WVARCHAR, WLONGVARCHAR
    -11: str,  # GUID
    -7: bool,  # BIT
    -6: int, 5: int, 4: int, -5: int,  # TINYINT, SMALLINT, INTEGER, BIGINT
    7: float, 6: float, 8: float,  # REAL, FLOAT, DOUBLE
    2: decimal.Decimal, 3: decimal.Decimal,  # NUMERIC, DECIMAL
    91: datetime.date, 92: datetime.time, 93: datetime.datetime,  # TYPE_DATE/TIME/TIMESTAMP
    -2: bytearray, -3: bytearray, -4: bytearray,  # BINARY, VARBINARY, LONGVARBINARY (pyodbc describes them as bytearray)
}
CHARACTER_TYPES = {1, 12, -1, -8, -9, -10}
SQL_NO_NULLS, SQL_NULLABLE = 0, 1
SQL_TABLE_STAT = 0


def test_tables_lists_every_table(cursor):
    rows = cursor.tables().fetchall()
    names = [row.table_name for row in rows]
    assert set(ALL_TABLES) <= set(names)
    assert len(names) == len(set(names)), "a table is listed twice"
    for row in rows:
        assert row.table_type in ("TABLE", "VIEW", "SYSTEM TABLE"), row


def test_tables_filtered_by_name_and_type(cursor):
    rows = cursor.tables(table="Deals").fetchall()
    assert [row.table_name for row in rows] == ["Deals"]
    rows = cursor.tables(tableType="TABLE,VIEW").fetchall()
    assert "Deals" in [row.table_name for row in rows]


def test_tables_pattern(cursor):
    names = {row.table_name for row in cursor.tables(table="%Fields").fetchall()}
    assert names == {t for t in ALL_TABLES if t.endswith("Fields")}


@pytest.mark.parametrize("table", ALL_TABLES)
def test_columns_are_well_formed(cursor, table):
    columns = cursor.columns(table=table).fetchall()
    assert columns, f"{table} has no columns"
    assert [c.ordinal_position for c in columns] == list(range(1, len(columns) + 1))
    names = [c.column_name for c in columns]
    assert len(names) == len(set(names)), f"duplicate column names in {table}"
    for c in columns:
        assert c.table_name == table
        assert c.data_type in PYTHON_TYPE_OF_SQL_TYPE, (c.column_name, c.data_type)
        assert c.nullable in (SQL_NO_NULLS, SQL_NULLABLE), (c.column_name, c.nullable)
        assert c.is_nullable in ("YES", "NO"), (c.column_name, c.is_nullable)
        assert (c.nullable == SQL_NULLABLE) == (c.is_nullable == "YES"), c.column_name
        if c.data_type in CHARACTER_TYPES:
            assert c.column_size and c.column_size > 0, c.column_name


def test_deals_has_the_documented_columns(cursor):
    columns = {c.column_name: c for c in cursor.columns(table="Deals")}
    for name in ("Id", "Title", "Value", "Currency", "Status", "OwnerId"):
        assert name in columns, name
    assert PYTHON_TYPE_OF_SQL_TYPE[columns["Id"].data_type] is int
    assert PYTHON_TYPE_OF_SQL_TYPE[columns["Title"].data_type] is str
    assert columns["Id"].nullable == SQL_NO_NULLS


def test_columns_of_one_column(cursor):
    rows = cursor.columns(table="Deals", column="Title").fetchall()
    assert [row.column_name for row in rows] == ["Title"]


@pytest.mark.parametrize("table", ALL_TABLES)
def test_described_types_agree_with_columns(cursor, table):
    catalog = cursor.columns(table=table).fetchall()
    cursor.execute(f"SELECT * FROM {table} LIMIT 1")
    described = cursor.description
    assert [d[0] for d in described] == [c.column_name for c in catalog]
    for d, c in zip(described, catalog):
        name, python_type, _display, internal_size, _precision, _scale, null_ok = d
        assert python_type is PYTHON_TYPE_OF_SQL_TYPE[c.data_type], (name, python_type, c.data_type)
        assert null_ok == (c.nullable == SQL_NULLABLE), name
        if c.data_type in CHARACTER_TYPES:
            assert internal_size == c.column_size, (name, internal_size, c.column_size)
    cursor.fetchall()


def test_primary_key_of_deals(cursor):
    rows = cursor.primaryKeys("Deals").fetchall()
    assert [(row.table_name, row.column_name, row.key_seq) for row in rows] == [("Deals", "Id", 1)]


@pytest.mark.parametrize("table", ["Persons", "Organizations", "Users", "Pipelines", "Stages"])
def test_primary_keys_of_entities(cursor, table):
    rows = cursor.primaryKeys(table).fetchall()
    assert [row.column_name for row in rows] == ["Id"]


def test_foreign_keys_from_deals(cursor):
    rows = cursor.foreignKeys(foreignTable="Deals").fetchall()
    deal_columns = {c.column_name for c in cursor.columns(table="Deals")}
    pairs = set()
    for row in rows:
        assert row.fktable_name == "Deals", row
        assert row.fkcolumn_name in deal_columns, row
        assert row.pktable_name in ALL_TABLES, row
        pk_columns = [r.column_name for r in cursor.primaryKeys(row.pktable_name).fetchall()]
        assert row.pkcolumn_name in pk_columns, row
        pairs.add((row.fkcolumn_name, row.pktable_name))
    expected = {
        ("OwnerId", "Users"), ("PersonId", "Persons"), ("OrgId", "Organizations"),
        ("StageId", "Stages"), ("PipelineId", "Pipelines"),
    }
    expected = {pair for pair in expected if pair[0] in deal_columns}
    assert expected <= pairs, f"missing foreign keys: {expected - pairs}"


def test_foreign_keys_to_persons(cursor):
    rows = cursor.foreignKeys(table="Persons").fetchall()
    assert rows, "no table references Persons"
    for row in rows:
        assert row.pktable_name == "Persons"
        assert row.pkcolumn_name == "Id"


def test_statistics_of_deals(cursor):
    rows = cursor.statistics("Deals").fetchall()
    indexes = [row for row in rows if row.type != SQL_TABLE_STAT]
    unique_on_id = [row for row in indexes if row.column_name == "Id" and not row.non_unique]
    assert unique_on_id, f"no unique index on Deals.Id in {rows}"
    for row in rows:
        assert row.table_name == "Deals"


def test_type_info_covers_every_column_type(cursor):
    type_info = cursor.getTypeInfo().fetchall()
    assert type_info
    by_type = {}
    for row in type_info:
        by_type.setdefault(row.data_type, []).append(row.type_name)
    for table in ALL_TABLES:
        for c in cursor.columns(table=table):
            assert c.data_type in by_type, f"{table}.{c.column_name}: type {c.data_type} missing from SQLGetTypeInfo"
            assert c.type_name in by_type[c.data_type], (
                f"{table}.{c.column_name}: type name {c.type_name!r} not among {by_type[c.data_type]}"
            )


def test_type_info_for_one_type(cursor):
    title_type = cursor.columns(table="Deals", column="Title").fetchone().data_type
    rows = cursor.getTypeInfo(title_type).fetchall()
    assert rows, f"SQLGetTypeInfo({title_type}) returned no row"
    assert all(row.data_type == title_type for row in rows)


def test_type_info_is_ordered_by_data_type(cursor):
    data_types = [row.data_type for row in cursor.getTypeInfo().fetchall()]
    assert data_types == sorted(data_types)


OAUTH_PROCEDURES = ["GetOAuthAccessToken", "GetOAuthAuthorizationURL", "RefreshOAuthAccessToken"]


def test_procedures_lists_the_oauth_procedures_and_filters_by_pattern(cursor):
    rows = cursor.procedures().fetchall()
    assert sorted(row.procedure_name for row in rows) == OAUTH_PROCEDURES
    assert all(row.num_result_sets == 1 for row in rows)
    refresh = cursor.procedures(procedure="Refresh%").fetchall()
    assert [row.procedure_name for row in refresh] == ["RefreshOAuthAccessToken"]
    assert cursor.procedures(procedure="NoSuch%").fetchall() == []


def test_procedure_columns_agree_with_procedures(cursor):
    procedures = {row.procedure_name: row for row in cursor.procedures().fetchall()}
    columns = cursor.procedureColumns(procedure="%").fetchall()
    for name, procedure in procedures.items():
        inputs = [c for c in columns if c.procedure_name == name and c.column_type == 1]
        results = [c for c in columns if c.procedure_name == name and c.column_type == 3]
        assert len(inputs) == procedure.num_input_params
        assert [c.ordinal_position for c in inputs] == list(range(1, len(inputs) + 1))
        assert results, f"{name} has no result columns"
    one = cursor.procedureColumns(procedure="GetOAuthAuthorizationURL").fetchall()
    assert {c.procedure_name for c in one} == {"GetOAuthAuthorizationURL"}
    assert [c.column_name for c in one if c.column_type == 3] == ["URL"]
