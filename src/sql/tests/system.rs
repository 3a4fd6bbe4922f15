//! The sys_ tables through SQL: filters, sorting, joins and aggregates over
//! the data model, with no API request.

use super::*;

#[test]
fn sys_tables_list_the_model() {
    let api = crm(1, 1);
    let rows = run(
        &api,
        "SELECT TableName, TableType, IsUpdateable FROM sys_tables ORDER BY TableName",
    );
    let mut names: Vec<String> = api
        .schema()
        .tables()
        .iter()
        .map(|t| t.name.clone())
        .collect();
    names.sort();
    assert_eq!(
        rows.iter()
            .map(|r| r[0].to_text().unwrap())
            .collect::<Vec<_>>(),
        names
    );
    // A table is updateable exactly when the write model has it.
    for row in &rows {
        let name = row[0].to_text().unwrap();
        let writable = crate::model::writable::write_spec(&name).is_some();
        assert_eq!(row[2], Value::Bool(writable), "{name}");
    }
    assert!(rows.iter().any(|r| r[2] == Value::Bool(true)));
    assert!(api.requests().is_empty());
}

#[test]
fn sys_tablecolumns_agree_with_the_table_definitions() {
    let api = crm(1, 1);
    let deals = api.table("Deals");
    let rows = run(
        &api,
        "SELECT ColumnName, DataTypeName, IsNullable, IsKey, Ordinal FROM SYS_TABLECOLUMNS \
         WHERE TableName = 'Deals' ORDER BY Ordinal",
    );
    assert_eq!(rows.len(), deals.columns.len());
    for (i, (row, column)) in rows.iter().zip(&deals.columns).enumerate() {
        assert_eq!(row[0], text(&column.name));
        assert_eq!(row[1], text(column.data_type.type_name()));
        assert_eq!(row[2], Value::Bool(column.nullable));
        assert_eq!(row[3], Value::Bool(column.name == "Id"));
        assert_eq!(row[4], int(i as i64 + 1));
    }
}

#[test]
fn system_tables_join_and_aggregate() {
    let api = crm(1, 1);
    let rows = run(
        &api,
        "SELECT k.TableName, k.ColumnName, c.DataTypeName FROM sys_foreignkeys k \
         JOIN sys_tablecolumns c ON c.TableName = k.TableName AND c.ColumnName = k.ColumnName \
         WHERE k.ReferencedTableName = 'Persons' ORDER BY 1, 2",
    );
    let mut expected: Vec<Row> = Vec::new();
    for t in api.schema().tables() {
        for fk in t.foreign_keys.iter().filter(|fk| fk.ref_table == "Persons") {
            let c = &t.columns[t.column_index(&fk.column).unwrap()];
            expected.push(vec![
                text(&t.name),
                text(&fk.column),
                text(c.data_type.type_name()),
            ]);
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(rows, sorted(expected));
    let counts = run(
        &api,
        "SELECT COUNT(*) FROM sys_procedures UNION ALL SELECT COUNT(*) FROM sys_procedureparameters",
    );
    let procedures = crate::sql::procedures::PROCEDURES;
    // Each procedure lists its inputs and its result columns.
    let parameters: usize = procedures
        .iter()
        .map(|p| p.parameters.len() + p.outputs.len())
        .sum();
    assert!(!procedures.is_empty() && parameters > 0);
    assert_eq!(
        counts,
        vec![
            vec![int(procedures.len() as i64)],
            vec![int(parameters as i64)]
        ]
    );
    let keys = run(&api, "SELECT COUNT(*) FROM sys_keycolumns WHERE IsKey = 1");
    let with_pk = api
        .schema()
        .tables()
        .iter()
        .filter(|t| t.primary_key.is_some())
        .count();
    assert_eq!(keys, vec![vec![int(with_pk as i64)]]);
}
