//! The corpus of the differential test: queries generated systematically
//! from the loaded schema and data (every comparison operator over columns
//! of each type and literal kind, every aggregate over grouping columns,
//! NULL and LIKE predicates), and hand-written ones for the rest of the
//! SQL the driver supports (joins, subqueries, UNION ALL, CASE, CAST,
//! scalar functions, ODBC escapes, TOP, quoted and case-insensitive
//! identifiers, Unicode).
//!
//! Each case holds the driver's SQL and SQLite's; they differ where the
//! dialects differ ({fn}/{d}/{ts}/{oj} escapes, TOP, function names) or
//! where SQLite needs help to compute the standard answer (commented).

use crate::harness::{sqlite_query, Cell, Kind, Param};

pub struct Case {
    pub driver: String,
    pub sqlite: String,
    pub params: Vec<Param>,
    /// Compare in order (the query has a total ORDER BY).
    pub ordered: bool,
}

fn case(driver: impl Into<String>, sqlite: impl Into<String>) -> Case {
    let driver = driver.into();
    let ordered = driver.to_ascii_uppercase().contains("ORDER BY");
    Case {
        driver,
        sqlite: sqlite.into(),
        params: Vec::new(),
        ordered,
    }
}

fn same(sql: impl Into<String>) -> Case {
    let sql = sql.into();
    case(sql.clone(), sql)
}

impl Case {
    fn with(mut self, params: Vec<Param>) -> Case {
        self.params = params;
        self
    }
}

/// The value of `column` in the row at `fraction` of the way through
/// `table`'s non-NULL values in value order: literals come from the data, so
/// predicates select something.
fn pick(db: &rusqlite::Connection, table: &str, column: &str, fraction: f64) -> Cell {
    let count = match sqlite_query(
        db,
        &format!("SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL"),
        &[],
    )
    .unwrap_or_else(|e| panic!("{table}.{column}: {e}"))
    .into_iter()
    .next()
    .and_then(|row| row.into_iter().next())
    {
        Some(Cell::Int(n)) => n,
        _ => 0,
    };
    assert!(count > 0, "{table}.{column} has no values to pick from");
    let offset = ((count as f64 - 1.0) * fraction) as i64;
    let rows = sqlite_query(
        db,
        &format!(
            "SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column}, rowid LIMIT 1 OFFSET {offset}"
        ),
        &[],
    )
    .unwrap();
    rows[0][0].clone()
}

fn as_param(cell: &Cell) -> Param {
    match cell {
        Cell::Null => Param::Null,
        Cell::Int(i) => Param::Int(*i),
        Cell::Real(r) => Param::Real(*r),
        Cell::Text(s) => Param::Text(s.clone()),
    }
}

const OPS: [&str; 6] = ["=", "<>", "<", "<=", ">", ">="];

/// How a column's literals are written.
#[derive(Clone, Copy, PartialEq)]
enum Literal {
    Number,
    Text,
    Date,
    Timestamp,
}

/// Comparison predicates: every operator x column x literal kind (inline
/// literal, `?` parameter, literal on the left).
fn comparisons(db: &rusqlite::Connection, out: &mut Vec<Case>) {
    let columns: &[(&str, &str, Literal)] = &[
        ("Deals", "Id", Literal::Number),
        ("Deals", "Value", Literal::Number),
        ("Deals", "Probability", Literal::Number),
        ("Deals", "OwnerId", Literal::Number),
        ("Deals", "PipelineId", Literal::Number),
        ("Deals", "StageId", Literal::Number),
        ("Deals", "PersonId", Literal::Number),
        ("Deals", "OrgId", Literal::Number),
        ("Deals", "Discount", Literal::Number),
        ("Deals", "AccountManager", Literal::Number),
        ("Deals", "Title", Literal::Text),
        ("Deals", "Status", Literal::Text),
        ("Deals", "Currency", Literal::Text),
        ("Deals", "LostReason", Literal::Text),
        ("Deals", "Priority", Literal::Text),
        ("Deals", "ReferralCode", Literal::Text),
        ("Deals", "AddTime", Literal::Timestamp),
        ("Deals", "UpdateTime", Literal::Timestamp),
        ("Deals", "CloseTime", Literal::Timestamp),
        ("Deals", "ExpectedCloseDate", Literal::Date),
        ("Deals", "ContractStart", Literal::Date),
        ("Persons", "Name", Literal::Text),
        ("Persons", "OrgId", Literal::Number),
        ("Persons", "Birthday", Literal::Date),
        ("Organizations", "EmployeeCount", Literal::Number),
        ("Organizations", "AnnualRevenue", Literal::Number),
        ("Activities", "DueDate", Literal::Date),
        ("Products", "Name", Literal::Text),
    ];
    for &(table, column, literal) in columns {
        let value = pick(db, table, column, 0.4);
        let sqlite_literal = value.literal();
        let driver_literal = match (literal, &value) {
            (Literal::Date, Cell::Text(s)) => format!("{{d '{s}'}}"),
            (Literal::Timestamp, Cell::Text(s)) => format!("{{ts '{s}'}}"),
            _ => sqlite_literal.clone(),
        };
        for op in OPS {
            let select = format!("SELECT Id, {column} FROM {table} WHERE");
            out.push(case(
                format!("{select} {column} {op} {driver_literal}"),
                format!("{select} {column} {op} {sqlite_literal}"),
            ));
            match literal {
                Literal::Number | Literal::Text => {
                    out.push(
                        same(format!("{select} {column} {op} ?")).with(vec![as_param(&value)]),
                    );
                }
                Literal::Date | Literal::Timestamp => {
                    out.push(case(
                        format!("{select} {driver_literal} {op} {column}"),
                        format!("{select} {sqlite_literal} {op} {column}"),
                    ));
                }
            }
            if literal == Literal::Number {
                out.push(same(format!("{select} {sqlite_literal} {op} {column}")));
            }
        }
    }
}

/// IS NULL, IN, BETWEEN and three-valued logic over NULL-heavy columns.
fn null_in_between(db: &rusqlite::Connection, out: &mut Vec<Case>) {
    let nullable = [
        ("Deals", "Probability"),
        ("Deals", "LostReason"),
        ("Deals", "CloseTime"),
        ("Deals", "WonTime"),
        ("Deals", "Discount"),
        ("Deals", "ContractValue"),
        ("Deals", "Priority"),
        ("Deals", "OrgId"),
        ("Persons", "Birthday"),
        ("Persons", "OrgId"),
        ("Organizations", "AnnualRevenue"),
        ("Activities", "DealId"),
    ];
    for (table, column) in nullable {
        let select = format!("SELECT Id FROM {table} WHERE");
        out.push(same(format!("{select} {column} IS NULL")));
        out.push(same(format!("{select} {column} IS NOT NULL")));
        out.push(same(format!("{select} NOT ({column} IS NULL)")));
        // Comparisons with NULL are unknown: no rows, whatever the data.
        out.push(same(format!("{select} {column} = NULL")));
        let value = pick(db, table, column, 0.5);
        let lit = value.literal();
        // Three-valued logic: NOT of an unknown comparison is unknown too.
        out.push(same(format!("{select} NOT ({column} = {lit})")));
        out.push(same(format!(
            "{select} {column} = {lit} OR {column} IS NULL"
        )));
        out.push(same(format!("{select} NOT ({column} <> {lit} OR Id < 0)")));
        out.push(same(format!("{select} {column} IN ({lit}, NULL)")));
        // x NOT IN (.., NULL) is never true.
        out.push(same(format!("{select} {column} NOT IN ({lit}, NULL)")));
        out.push(same(format!("{select} {column} NOT IN ({lit})")));
        out.push(same(format!(
            "SELECT COUNT(*), COUNT({column}) FROM {table}"
        )));
    }
    let numeric = [
        ("Deals", "Value"),
        ("Deals", "Probability"),
        ("Deals", "OwnerId"),
        ("Deals", "Id"),
        ("Persons", "OrgId"),
        ("Organizations", "EmployeeCount"),
    ];
    for (table, column) in numeric {
        let low = pick(db, table, column, 0.25).literal();
        let mid = pick(db, table, column, 0.5).literal();
        let high = pick(db, table, column, 0.75).literal();
        let select = format!("SELECT Id, {column} FROM {table} WHERE");
        out.push(same(format!("{select} {column} BETWEEN {low} AND {high}")));
        out.push(same(format!(
            "{select} {column} NOT BETWEEN {low} AND {high}"
        )));
        // An empty range: BETWEEN is not symmetric.
        out.push(same(format!("{select} {column} BETWEEN {high} AND {low}")));
        out.push(same(format!("{select} {column} IN ({low}, {mid}, {high})")));
        out.push(same(format!(
            "{select} {column} NOT IN ({low}, {mid}, {high})"
        )));
    }
    let texts = [
        ("Deals", "Status"),
        ("Deals", "Currency"),
        ("Deals", "Priority"),
    ];
    for (table, column) in texts {
        let a = pick(db, table, column, 0.1).literal();
        let b = pick(db, table, column, 0.9).literal();
        let select = format!("SELECT Id FROM {table} WHERE");
        out.push(same(format!("{select} {column} IN ({a}, {b})")));
        out.push(same(format!("{select} {column} NOT IN ({a}, {b})")));
        out.push(same(format!("{select} {column} BETWEEN {a} AND {b}")));
    }
}

/// LIKE patterns, with and without escapes, on text columns (Unicode
/// titles and names among them).
fn likes(out: &mut Vec<Case>) {
    let patterns = [
        "A%",
        "a%",
        "%a%",
        "%Ltd%",
        "%LLC",
        "_l%",
        "%é%",
        "%ž%",
        "Ą%",
        "%–%",
        "%&%",
        "%",
        "_",
        "%o_o%",
        "B%r%",
        "%🙂%",
        "%\u{1d40f}%",
    ];
    for (table, column) in [
        ("Deals", "Title"),
        ("Persons", "Name"),
        ("Organizations", "Name"),
        ("Deals", "LostReason"),
    ] {
        for p in patterns {
            let select = format!("SELECT Id FROM {table} WHERE {column}");
            out.push(same(format!("{select} LIKE '{p}'")));
        }
        out.push(same(format!(
            "SELECT Id FROM {table} WHERE {column} NOT LIKE '%a%'"
        )));
        out.push(
            same(format!("SELECT Id FROM {table} WHERE {column} LIKE ?"))
                .with(vec![Param::Text("%er%".into())]),
        );
    }
    // Escapes: the escaped wildcard matches only itself.
    for (driver, sqlite) in [
        (
            "Title LIKE '%\\%%' {escape '\\'}",
            "Title LIKE '%\\%%' ESCAPE '\\'",
        ),
        (
            "Title LIKE '%!_%' {escape '!'}",
            "Title LIKE '%!_%' ESCAPE '!'",
        ),
        (
            "ReferralCode LIKE '%!_%' ESCAPE '!'",
            "ReferralCode LIKE '%!_%' ESCAPE '!'",
        ),
        (
            "ReferralCode LIKE '%-1%' ESCAPE '!'",
            "ReferralCode LIKE '%-1%' ESCAPE '!'",
        ),
        (
            "DealNotes LIKE '%5 !%%' ESCAPE '!'",
            "DealNotes LIKE '%5 !%%' ESCAPE '!'",
        ),
        (
            "DealNotes NOT LIKE '%!%%' {escape '!'}",
            "DealNotes NOT LIKE '%!%%' ESCAPE '!'",
        ),
    ] {
        out.push(case(
            format!("SELECT Id FROM Deals WHERE {driver}"),
            format!("SELECT Id FROM Deals WHERE {sqlite}"),
        ));
    }
}

/// Every aggregate over numeric, text and timestamp columns, grouped by
/// each grouping column, with and without HAVING.
fn aggregates(out: &mut Vec<Case>) {
    let groups = [
        "OwnerId",
        "Status",
        "PipelineId",
        "StageId",
        "Currency",
        "Priority",
        "LostReason",
        "OwnerId, Status",
    ];
    for g in groups {
        out.push(same(format!(
            "SELECT {g}, COUNT(*), COUNT(Probability), SUM(Value), AVG(Value), MIN(Value), MAX(Value) FROM Deals GROUP BY {g}"
        )));
        out.push(same(format!(
            "SELECT {g}, SUM(Probability), AVG(Probability), MIN(Probability), MAX(Probability) FROM Deals GROUP BY {g}"
        )));
        out.push(same(format!(
            "SELECT {g}, MIN(Title), MAX(Title), MIN(AddTime), MAX(CloseTime), COUNT(DISTINCT PersonId) FROM Deals GROUP BY {g}"
        )));
        out.push(same(format!(
            "SELECT {g}, SUM(Id), AVG(Id), MIN(ExpectedCloseDate), MAX(Discount), COUNT(Discount) FROM Deals GROUP BY {g}"
        )));
        out.push(same(format!(
            "SELECT {g}, COUNT(*) FROM Deals GROUP BY {g} HAVING COUNT(*) > 20"
        )));
        out.push(same(format!(
            "SELECT {g}, SUM(Value) FROM Deals WHERE Value > 1000 GROUP BY {g} HAVING SUM(Value) > 100000 OR MIN(Value) < 2000"
        )));
    }
    for (table, g, c) in [
        ("Persons", "OrgId", "Id"),
        ("Persons", "OwnerId", "OrgId"),
        ("Organizations", "AddressCountry", "EmployeeCount"),
        ("Organizations", "OwnerId", "AnnualRevenue"),
        ("Activities", "Type", "DealId"),
        ("Activities", "Done", "OwnerId"),
        ("Products", "Category", "Tax"),
        ("Stages", "PipelineId", "DealProbability"),
    ] {
        out.push(same(format!(
            "SELECT {g}, COUNT(*), COUNT({c}), SUM({c}), AVG({c}), MIN({c}), MAX({c}) FROM {table} GROUP BY {g}"
        )));
    }
    // Aggregates without GROUP BY, over all rows and over none.
    for filter in [
        "",
        " WHERE Id < 0",
        " WHERE Status = 'won'",
        " WHERE Probability IS NULL",
    ] {
        out.push(same(format!(
            "SELECT COUNT(*), COUNT(Probability), SUM(Value), AVG(Probability), MIN(Title), MAX(UpdateTime) FROM Deals{filter}"
        )));
    }
}

/// Hand-written queries for the rest of the SQL surface.
fn handwritten(out: &mut Vec<Case>) {
    // Expressions, aliases, identifiers.
    for sql in [
        "SELECT Id, Value * 2 + 1 AS doubled, -Value AS neg, Value / 4 AS quarter FROM Deals WHERE Id < 200",
        // Integer division truncates toward zero in both (the standard's choice for exact numerics).
        "SELECT Id, Id / 7, Id % 7, -Id / 7, OwnerId * PipelineId - StageId FROM Deals",
        "SELECT Id, (Value + Id) * 0.5, Value - Probability FROM Deals",
        "SELECT Id AS \"Deal Id\", Title t FROM Deals d WHERE d.Id < 50",
        "SELECT \"Deals\".\"Title\", \"Deals\".\"Id\" FROM \"Deals\" WHERE \"Deals\".\"OwnerId\" = 3",
        "select id, TITLE, ownerid from deals where OWNERID = 2 and STATUS = 'open'",
        "SELECT D.iD, d.TiTlE FROM dEaLs D WHERE d.vAlUe > 5000",
        "SELECT Title || ' (' || Currency || ')' FROM Deals",
        "SELECT 'Ärger ' || Name, Name || '–✓' FROM Persons",
        "SELECT Id, Title FROM Deals WHERE Title = Title",
        "SELECT 1, 2.5, 'x', NULL FROM Deals WHERE Id = 10",
        "SELECT Id FROM Deals WHERE (OwnerId = 1 OR OwnerId = 2) AND NOT Status = 'lost'",
        "SELECT Id FROM Deals WHERE OwnerId = 1 OR (PipelineId = 2 AND StageId <> 7) OR Value < 500",
        "SELECT Id FROM Deals WHERE NOT (OwnerId = 1 OR OwnerId = 2 OR OwnerId = 3)",
        "SELECT Id FROM Deals WHERE Status = 'won' AND Value > 50000",
        "SELECT Id FROM Deals WHERE Status = 'won' AND OwnerId = 3 AND PipelineId = 1",
        "SELECT Id FROM Deals WHERE OwnerId = 4 AND PersonId IS NOT NULL",
        "SELECT Id, Title FROM Deals WHERE PersonId = 12",
        "SELECT Id, Title FROM Deals WHERE OrgId = 7 AND StageId = 3",
        "SELECT Id FROM Deals WHERE Id IN (1, 5, 99, 400, 1200, 5000)",
        "SELECT Id FROM Deals WHERE Id = 77",
        "SELECT Id FROM Deals WHERE Id = 77 AND Status = 'lost'",
        "SELECT Id FROM Deals WHERE Id = 999999",
        "SELECT Id FROM Deals WHERE Status IN ('won', 'lost')",
        "SELECT DISTINCT Currency FROM Deals",
        "SELECT DISTINCT OwnerId, Status FROM Deals",
        "SELECT DISTINCT LostReason FROM Deals",
        "SELECT DISTINCT Priority, ProductsOfInterest FROM Deals",
        "SELECT COUNT(DISTINCT Currency), COUNT(DISTINCT LostReason) FROM Deals",
        "SELECT Id, ContractValue, ContractValueCurrency, Campaign, DirectLine FROM Deals WHERE ContractValue > 1000",
        "SELECT Id FROM Persons WHERE PrimaryEmail LIKE '%@%' AND OrgId IS NULL",
        "SELECT Id, Name FROM Persons WHERE Name > 'Ö'",
        "SELECT Id, Name FROM Persons WHERE Name < 'B' OR Name >= 'Ž'",
        "SELECT Name, COUNT(*) FROM Persons GROUP BY Name HAVING COUNT(*) > 1",
        "SELECT Id, Subject, Done, Busy FROM Activities WHERE Done = 1 AND DealId IS NOT NULL",
        "SELECT Id, DueTime FROM Activities WHERE DueTime >= '12:00:00'",
        "SELECT Id, Name, ActiveFlag FROM Users WHERE ActiveFlag = 1",
        "SELECT * FROM Stages",
        "SELECT * FROM Pipelines WHERE Id = 2",
        "SELECT * FROM Users",
        "SELECT * FROM ActivityTypes",
        "SELECT FieldCode, FieldName, FieldType FROM DealFields WHERE IsCustomField = 1",
        "SELECT FieldName, Label FROM DealFieldOptions",
        "SELECT Id, Title, PersonId FROM Leads",
        "SELECT Id, DealId, PersonId FROM Notes WHERE DealId IS NOT NULL",
        "SELECT Id FROM Activities WHERE DealId = 3",
        "SELECT Id FROM Activities WHERE PersonId = 5 AND OwnerId = 2",
        "SELECT Id FROM Persons WHERE OrgId = 4",
        "SELECT Id FROM Stages WHERE PipelineId = 2",
        "SELECT Id, Name FROM Products WHERE Id IN (1, 2, 3)",
    ] {
        out.push(same(sql));
    }

    // ORDER BY (totalised with Id), LIMIT / OFFSET, TOP.
    for sql in [
        "SELECT Id, Title FROM Deals ORDER BY Title, Id LIMIT 10",
        "SELECT Id, Value FROM Deals ORDER BY Value DESC, Id LIMIT 10 OFFSET 20",
        // NULLs sort first ascending and last descending in both engines.
        "SELECT Id, Probability FROM Deals ORDER BY Probability, Id",
        "SELECT Id, Probability FROM Deals ORDER BY Probability DESC, Id DESC",
        "SELECT Id, Value * 2 AS v2 FROM Deals ORDER BY v2, Id LIMIT 30",
        "SELECT Id, Title FROM Deals ORDER BY 2 DESC, 1 LIMIT 15",
        "SELECT Id FROM Deals ORDER BY Id LIMIT 5",
        "SELECT Id FROM Deals ORDER BY Id DESC LIMIT 5",
        "SELECT Id FROM Deals ORDER BY Id LIMIT 5 OFFSET 1230",
        "SELECT Id FROM Deals ORDER BY Id LIMIT 0",
        "SELECT Id FROM Deals ORDER BY Id LIMIT 10 OFFSET 5000",
        "SELECT Id, UpdateTime FROM Deals ORDER BY UpdateTime, Id LIMIT 25",
        "SELECT Id, AddTime FROM Deals ORDER BY AddTime DESC, Id LIMIT 3",
        "SELECT Id, AddTime FROM Deals WHERE OwnerId = 2 ORDER BY AddTime, Id LIMIT 7",
        "SELECT Id, Name FROM Products ORDER BY Name, Id",
        "SELECT Id, Name FROM Persons ORDER BY Name DESC, Id LIMIT 40",
        "SELECT Id, Value FROM Deals WHERE Status = 'open' ORDER BY Value DESC, Id LIMIT 7",
        "SELECT OwnerId, SUM(Value) AS total FROM Deals GROUP BY OwnerId ORDER BY total DESC",
        "SELECT Status, COUNT(*) FROM Deals GROUP BY Status ORDER BY COUNT(*) DESC, Status",
        "SELECT DISTINCT Currency FROM Deals ORDER BY Currency",
        "SELECT Id, DueDate, DueTime FROM Activities ORDER BY DueDate DESC, DueTime, Id LIMIT 50",
    ] {
        out.push(same(sql));
    }
    for (driver, sqlite) in [
        (
            "SELECT TOP 5 Id, Title FROM Deals ORDER BY Id",
            "SELECT Id, Title FROM Deals ORDER BY Id LIMIT 5",
        ),
        (
            "SELECT TOP 3 Id FROM Deals WHERE Status = 'won' ORDER BY Value DESC, Id",
            "SELECT Id FROM Deals WHERE Status = 'won' ORDER BY Value DESC, Id LIMIT 3",
        ),
        (
            "SELECT TOP 0 Id FROM Deals ORDER BY Id",
            "SELECT Id FROM Deals ORDER BY Id LIMIT 0",
        ),
        (
            "SELECT DISTINCT TOP 2 Currency FROM Deals ORDER BY Currency",
            "SELECT DISTINCT Currency FROM Deals ORDER BY Currency LIMIT 2",
        ),
    ] {
        out.push(case(driver, sqlite));
    }

    // Joins.
    for sql in [
        "SELECT d.Id, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id",
        "SELECT d.Id, p.Name FROM Deals d INNER JOIN Persons p ON p.Id = d.PersonId WHERE d.Status = 'won'",
        "SELECT d.Id, o.Name FROM Deals d LEFT JOIN Organizations o ON d.OrgId = o.Id",
        "SELECT d.Id, o.Name FROM Deals d LEFT OUTER JOIN Organizations o ON d.OrgId = o.Id WHERE o.Id IS NULL",
        "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id AND p.OrgId = 3",
        "SELECT d.Id, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id WHERE d.Id = 5",
        "SELECT d.Id, p.Name, o.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id JOIN Organizations o ON p.OrgId = o.Id WHERE d.OwnerId = 3",
        "SELECT pl.Name, s.Name, COUNT(*), SUM(d.Value) FROM Deals d JOIN Stages s ON d.StageId = s.Id JOIN Pipelines pl ON s.PipelineId = pl.Id GROUP BY pl.Name, s.Name",
        "SELECT u.Name, COUNT(d.Id), SUM(d.Value) FROM Users u LEFT JOIN Deals d ON d.OwnerId = u.Id GROUP BY u.Name",
        "SELECT u.Id, u.Name, d.Status, COUNT(*) FROM Users u JOIN Deals d ON d.OwnerId = u.Id GROUP BY u.Id, u.Name, d.Status HAVING COUNT(*) >= 10",
        "SELECT a.DealId, COUNT(*) FROM Activities a JOIN Deals d ON a.DealId = d.Id GROUP BY a.DealId HAVING COUNT(*) > 1",
        "SELECT a.Id, d.Title FROM Activities a LEFT JOIN Deals d ON a.DealId = d.Id",
        "SELECT o.Name, COUNT(p.Id) FROM Organizations o LEFT JOIN Persons p ON p.OrgId = o.Id GROUP BY o.Name",
        "SELECT p.Id, o.Name FROM Persons p LEFT JOIN Organizations o ON p.OrgId = o.Id WHERE o.Name LIKE '%a%'",
        "SELECT d.Id, s.Name FROM Deals d JOIN Stages s ON d.StageId = s.Id AND s.OrderNr > 2",
        "SELECT d1.Id, d2.Id FROM Deals d1 JOIN Deals d2 ON d1.PersonId = d2.PersonId WHERE d1.Id < d2.Id AND d1.OwnerId = 1",
        "SELECT d.Id, u.Name FROM Deals d JOIN Users u ON d.AccountManager = u.Id",
        "SELECT n.Id, d.Title FROM Notes n JOIN Deals d ON n.DealId = d.Id",
    ] {
        out.push(same(sql));
    }
    for (driver, sqlite) in [
        (
            "SELECT d.Id, o.Name FROM {oj Deals d LEFT OUTER JOIN Organizations o ON d.OrgId = o.Id}",
            "SELECT d.Id, o.Name FROM Deals d LEFT OUTER JOIN Organizations o ON d.OrgId = o.Id",
        ),
        (
            "SELECT p.Id, o.Name FROM {oj Persons p LEFT OUTER JOIN Organizations o ON p.OrgId = o.Id} WHERE p.Id < 60",
            "SELECT p.Id, o.Name FROM Persons p LEFT OUTER JOIN Organizations o ON p.OrgId = o.Id WHERE p.Id < 60",
        ),
    ] {
        out.push(case(driver, sqlite));
    }

    // IN (subquery), including NOT IN over a subquery that yields NULLs.
    for sql in [
        "SELECT Id FROM Deals WHERE OwnerId IN (SELECT Id FROM Users WHERE ActiveFlag = 1)",
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE Name LIKE 'A%')",
        "SELECT Id FROM Deals WHERE StageId IN (SELECT Id FROM Stages WHERE PipelineId = 1)",
        "SELECT Id FROM Deals WHERE Id IN (SELECT DealId FROM Activities)",
        "SELECT Id FROM Deals WHERE Id NOT IN (SELECT DealId FROM Activities)",
        "SELECT Id FROM Deals WHERE Id NOT IN (SELECT DealId FROM Activities WHERE DealId IS NOT NULL)",
        "SELECT Id FROM Persons WHERE OrgId NOT IN (SELECT Id FROM Organizations WHERE EmployeeCount > 100)",
        "SELECT Id FROM Deals WHERE OrgId IN (SELECT OrgId FROM Persons WHERE Id < 30) AND Status <> 'lost'",
        "SELECT Id FROM Deals WHERE Id IN (SELECT Id FROM Deals WHERE Value > 40000) AND Id NOT IN (SELECT Id FROM Deals WHERE Status = 'won')",
    ] {
        out.push(same(sql));
    }

    // UNION ALL.
    for sql in [
        "SELECT Id, Title FROM Deals WHERE Status = 'won' UNION ALL SELECT Id, Name FROM Persons WHERE OrgId = 3",
        "SELECT Currency FROM Deals UNION ALL SELECT DefaultCurrency FROM Users",
        "SELECT OwnerId FROM Deals WHERE Id < 20 UNION ALL SELECT OwnerId FROM Deals WHERE Id < 20",
        "SELECT Name, NULL FROM Pipelines UNION ALL SELECT Name, PipelineId FROM Stages UNION ALL SELECT 'total', COUNT(*) FROM Stages",
    ] {
        out.push(same(sql));
    }

    // CASE and NULL-handling functions.
    for sql in [
        "SELECT Id, CASE WHEN Value > 50000 THEN 'big' WHEN Value > 5000 THEN 'mid' ELSE 'small' END FROM Deals",
        "SELECT Id, CASE Status WHEN 'won' THEN 1 WHEN 'lost' THEN -1 END FROM Deals",
        "SELECT Id, CASE WHEN Probability > 50 THEN 'likely' WHEN Probability IS NULL THEN 'unknown' END FROM Deals",
        "SELECT CASE WHEN Value > 10000 THEN 'big' ELSE 'small' END AS size, COUNT(*), SUM(Value) FROM Deals GROUP BY CASE WHEN Value > 10000 THEN 'big' ELSE 'small' END",
        "SELECT Id FROM Deals WHERE CASE WHEN Probability IS NULL THEN 0 ELSE Probability END > 40",
        "SELECT Id, COALESCE(Probability, Discount, -1), NULLIF(OwnerId, 3) FROM Deals",
        "SELECT Id, COALESCE(LostReason, 'n/a') FROM Deals WHERE Status = 'lost' OR LostReason IS NULL",
        "SELECT OwnerId, SUM(CASE WHEN Status = 'won' THEN Value ELSE 0 END), COUNT(CASE WHEN Status = 'lost' THEN 1 END) FROM Deals GROUP BY OwnerId",
    ] {
        out.push(same(sql));
    }

    // CAST: SQLite's type names and conversions spelled so they compute the
    // standard answer.
    for (driver, sqlite) in [
        // Both truncate toward zero (ISO leaves it to the implementation; ODBC truncates).
        (
            "SELECT Id, CAST(Value AS INTEGER) FROM Deals",
            "SELECT Id, CAST(Value AS INTEGER) FROM Deals",
        ),
        (
            "SELECT Id, CAST(OwnerId AS DOUBLE) FROM Deals",
            "SELECT Id, CAST(OwnerId AS REAL) FROM Deals",
        ),
        (
            "SELECT Id, CAST(Id AS VARCHAR(10)) FROM Deals",
            "SELECT Id, CAST(Id AS TEXT) FROM Deals",
        ),
        (
            "SELECT Id FROM Deals WHERE CAST(Id AS VARCHAR(10)) LIKE '1%'",
            "SELECT Id FROM Deals WHERE CAST(Id AS TEXT) LIKE '1%'",
        ),
        // SQLite has no DATE type: a timestamp's date is its first ten characters.
        (
            "SELECT Id, CAST(AddTime AS DATE) FROM Deals",
            "SELECT Id, date(AddTime) FROM Deals",
        ),
        (
            "SELECT Id FROM Deals WHERE CAST(AddTime AS DATE) = {d '2021-06-15'}",
            "SELECT Id FROM Deals WHERE date(AddTime) = '2021-06-15'",
        ),
        (
            "SELECT Id, CAST(ExpectedCloseDate AS TIMESTAMP) FROM Deals",
            "SELECT Id, ExpectedCloseDate || ' 00:00:00' FROM Deals",
        ),
        (
            "SELECT Id FROM Deals WHERE ExpectedCloseDate < CAST('2021-01-01' AS DATE)",
            "SELECT Id FROM Deals WHERE ExpectedCloseDate < '2021-01-01'",
        ),
        // DOUBLE to DECIMAL rounds the approximate value; at a scale where a
        // value's binary approximation sits next to a half (82587.15 is
        // 82587.1499999...), engines legitimately differ (SQLite rounds the
        // binary value, the driver and PostgreSQL the decimal one), so the
        // scales here are ones where no value is near a half.
        (
            "SELECT Id, CAST(Value AS DECIMAL(14,2)) FROM Deals",
            "SELECT Id, round(Value, 2) FROM Deals",
        ),
        (
            "SELECT Id, CAST('42' AS INTEGER) + Id FROM Deals WHERE Id < 10",
            "SELECT Id, 42 + Id FROM Deals WHERE Id < 10",
        ),
        // SQL's INTEGER is 32 bits (the driver raises 22003 beyond it); SQLite's is 64.
        (
            "SELECT CAST(SUM(Value) AS BIGINT), CAST(AVG(Id) AS INTEGER) FROM Deals",
            "SELECT CAST(SUM(Value) AS INTEGER), CAST(AVG(Id) AS INTEGER) FROM Deals",
        ),
        (
            "SELECT Id FROM Deals WHERE CAST(Probability AS INTEGER) = 50",
            "SELECT Id FROM Deals WHERE CAST(Probability AS INTEGER) = 50",
        ),
        (
            "SELECT {fn CONVERT(OwnerId, SQL_DOUBLE)} / 2 FROM Deals",
            "SELECT CAST(OwnerId AS REAL) / 2 FROM Deals",
        ),
        (
            "SELECT {fn CONVERT(Id, SQL_VARCHAR)} FROM Deals WHERE Id < 30",
            "SELECT CAST(Id AS TEXT) FROM Deals WHERE Id < 30",
        ),
    ] {
        out.push(case(driver, sqlite));
    }

    // Scalar functions as BI tools emit them, mapped to SQLite's names.
    // Case mapping only on ASCII columns: SQLite's upper()/lower() fold
    // ASCII only, the standard folds all of Unicode.
    let functions = [
        ("{fn UCASE(Status)}", "upper(Status)"),
        ("{fn LCASE(Currency)}", "lower(Currency)"),
        ("UPPER(Currency) || LOWER(Status)", "upper(Currency) || lower(Status)"),
        // ODBC LENGTH excludes trailing blanks; SQLite's counts them.
        ("{fn LENGTH(Title)}", "length(rtrim(Title, ' '))"),
        ("{fn CHAR_LENGTH(Title)}", "length(Title)"),
        ("CHARACTER_LENGTH(Title)", "length(Title)"),
        ("{fn CONCAT(Title, Currency)}", "Title || Currency"),
        ("{fn CONCAT(LostReason, Status)}", "LostReason || Status"),
        ("{fn SUBSTRING(Title, 2, 5)}", "substr(Title, 2, 5)"),
        ("SUBSTRING(Title, 1, 1)", "substr(Title, 1, 1)"),
        ("{fn LEFT(Title, 4)}", "substr(Title, 1, 4)"),
        ("{fn RIGHT(Title, 4)}", "substr(Title, -4)"),
        ("{fn LOCATE('a', Title)}", "instr(Title, 'a')"),
        ("{fn LOCATE('–', Title)}", "instr(Title, '–')"),
        ("{fn LTRIM(' ' || Title)}", "ltrim(' ' || Title, ' ')"),
        ("{fn RTRIM(Title || '  ')}", "rtrim(Title || '  ', ' ')"),
        ("{fn REPLACE(Title, 'a', 'A')}", "replace(Title, 'a', 'A')"),
        ("{fn ABS(Value - 10000)}", "abs(Value - 10000)"),
        ("{fn ABS(OwnerId - 4)}", "abs(OwnerId - 4)"),
        ("{fn ROUND(Value, 0)}", "round(Value, 0)"),
        ("{fn ROUND(Value / 3, 2)}", "round(Value / 3, 2)"),
        ("{fn MOD(Id, 7)}", "Id % 7"),
        ("{fn MOD(-Id, 7)}", "-Id % 7"),
        // No math functions in the bundled SQLite: FLOOR/CEILING by CAST.
        ("{fn FLOOR(Value / 7)}", "CASE WHEN Value / 7 < CAST(Value / 7 AS INTEGER) THEN CAST(Value / 7 AS INTEGER) - 1 ELSE CAST(Value / 7 AS INTEGER) END"),
        ("{fn CEILING(Value / 7)}", "CASE WHEN Value / 7 > CAST(Value / 7 AS INTEGER) THEN CAST(Value / 7 AS INTEGER) + 1 ELSE CAST(Value / 7 AS INTEGER) END"),
        ("{fn SIGN(Value - 20000)}", "sign(Value - 20000)"),
        ("{fn IFNULL(Probability, 0)}", "ifnull(Probability, 0)"),
        ("{fn YEAR(AddTime)}", "CAST(strftime('%Y', AddTime) AS INTEGER)"),
        ("{fn MONTH(AddTime)}", "CAST(strftime('%m', AddTime) AS INTEGER)"),
        ("{fn DAYOFMONTH(AddTime)}", "CAST(strftime('%d', AddTime) AS INTEGER)"),
        ("{fn HOUR(AddTime)}", "CAST(strftime('%H', AddTime) AS INTEGER)"),
        ("{fn MINUTE(UpdateTime)}", "CAST(strftime('%M', UpdateTime) AS INTEGER)"),
        ("{fn SECOND(UpdateTime)}", "CAST(strftime('%S', UpdateTime) AS INTEGER)"),
        ("{fn DAYOFYEAR(ExpectedCloseDate)}", "CAST(strftime('%j', ExpectedCloseDate) AS INTEGER)"),
        // ODBC DAYOFWEEK: 1 is Sunday; strftime's %w: 0 is Sunday.
        ("{fn DAYOFWEEK(ExpectedCloseDate)}", "CAST(strftime('%w', ExpectedCloseDate) AS INTEGER) + 1"),
        ("{fn QUARTER(CloseTime)}", "(CAST(strftime('%m', CloseTime) AS INTEGER) + 2) / 3"),
        ("YEAR(ExpectedCloseDate)", "CAST(strftime('%Y', ExpectedCloseDate) AS INTEGER)"),
        ("{fn TIMESTAMPADD(SQL_TSI_DAY, 3, AddTime)}", "datetime(AddTime, '+3 days')"),
        ("{fn TIMESTAMPADD(SQL_TSI_HOUR, -5, UpdateTime)}", "datetime(UpdateTime, '-5 hours')"),
        ("{fn TIMESTAMPDIFF(SQL_TSI_SECOND, AddTime, UpdateTime)}", "CAST(round((julianday(UpdateTime) - julianday(AddTime)) * 86400) AS INTEGER)"),
        ("{fn SOUNDEX(Currency)}", "soundex(Currency)"),
    ];
    for (driver, sqlite) in functions {
        out.push(case(
            format!("SELECT Id, {driver} FROM Deals"),
            format!("SELECT Id, {sqlite} FROM Deals"),
        ));
    }
    for (driver, sqlite) in [
        ("SELECT Id FROM Deals WHERE {fn YEAR(AddTime)} = 2021 AND {fn MONTH(AddTime)} <= 3", "SELECT Id FROM Deals WHERE strftime('%Y-%m', AddTime) BETWEEN '2021-01' AND '2021-03'"),
        ("SELECT {fn YEAR(AddTime)}, COUNT(*), SUM(Value) FROM Deals GROUP BY {fn YEAR(AddTime)}", "SELECT CAST(strftime('%Y', AddTime) AS INTEGER), COUNT(*), SUM(Value) FROM Deals GROUP BY 1"),
        ("SELECT Id FROM Deals WHERE {fn UCASE(Status)} = 'WON'", "SELECT Id FROM Deals WHERE upper(Status) = 'WON'"),
        ("SELECT Id FROM Deals WHERE {fn LENGTH(Title)} > 40", "SELECT Id FROM Deals WHERE length(rtrim(Title, ' ')) > 40"),
        ("SELECT Id FROM Deals WHERE AddTime >= {ts '2022-01-01 00:00:00'} AND AddTime < {ts '2022-07-01 00:00:00'}", "SELECT Id FROM Deals WHERE AddTime >= '2022-01-01 00:00:00' AND AddTime < '2022-07-01 00:00:00'"),
        ("SELECT Id FROM Deals WHERE UpdateTime >= {ts '2023-05-01 12:30:00'}", "SELECT Id FROM Deals WHERE UpdateTime >= '2023-05-01 12:30:00'"),
        ("SELECT Id FROM Deals WHERE UpdateTime < {ts '2020-02-01 00:00:00'} AND OwnerId = 3", "SELECT Id FROM Deals WHERE UpdateTime < '2020-02-01 00:00:00' AND OwnerId = 3"),
        ("SELECT Id FROM Deals WHERE UpdateTime >= {ts '2021-01-01 00:00:00'} AND UpdateTime < {ts '2021-02-01 00:00:00'}", "SELECT Id FROM Deals WHERE UpdateTime >= '2021-01-01 00:00:00' AND UpdateTime < '2021-02-01 00:00:00'"),
        // A DATE compared with a TIMESTAMP is the timestamp at midnight.
        ("SELECT Id FROM Deals WHERE AddTime >= {d '2023-03-01'}", "SELECT Id FROM Deals WHERE AddTime >= '2023-03-01 00:00:00'"),
        ("SELECT Id FROM Deals WHERE ExpectedCloseDate BETWEEN {d '2022-01-01'} AND {d '2022-12-31'}", "SELECT Id FROM Deals WHERE ExpectedCloseDate BETWEEN '2022-01-01' AND '2022-12-31'"),
        ("SELECT Id, DueTime FROM Activities WHERE DueTime < {t '09:30:00'}", "SELECT Id, DueTime FROM Activities WHERE DueTime < '09:30:00'"),
        ("SELECT {d '2024-02-29'}, {t '23:59:58'}, {ts '2024-02-29 23:59:58'} FROM Deals WHERE Id = 1", "SELECT '2024-02-29', '23:59:58', '2024-02-29 23:59:58' FROM Deals WHERE Id = 1"),
        ("SELECT Id FROM Deals WHERE {fn CONCAT(Currency, Status)} = 'EURwon'", "SELECT Id FROM Deals WHERE Currency || Status = 'EURwon'"),
    ] {
        out.push(case(driver, sqlite));
    }

    // Parameters of every kind, NULL included (a comparison with a NULL
    // parameter is unknown).
    out.push(
        same("SELECT Id FROM Deals WHERE OwnerId = ? AND Value > ?")
            .with(vec![Param::Int(2), Param::Real(2500.5)]),
    );
    out.push(
        same("SELECT Id FROM Deals WHERE Status = ? OR Currency = ?")
            .with(vec![Param::Text("lost".into()), Param::Text("EUR".into())]),
    );
    out.push(same("SELECT Id FROM Deals WHERE Probability = ?").with(vec![Param::Null]));
    out.push(
        same("SELECT Id FROM Deals WHERE Id IN (?, ?, ?)").with(vec![
            Param::Int(3),
            Param::Int(30),
            Param::Int(300),
        ]),
    );
    out.push(
        same("SELECT Id FROM Deals WHERE Value BETWEEN ? AND ?")
            .with(vec![Param::Int(1000), Param::Int(3000)]),
    );
    out.push(
        same("SELECT Id, Value * ? FROM Deals WHERE Id < ?")
            .with(vec![Param::Real(1.5), Param::Int(40)]),
    );
    out.push(same("SELECT Id FROM Deals WHERE Id = ?").with(vec![Param::Int(640)]));
    out.push(
        same("SELECT Id FROM Persons WHERE Name LIKE ?").with(vec![Param::Text("%ö%".into())]),
    );
    out.push(case("SELECT Id FROM Deals WHERE AddTime < {fn TIMESTAMPADD(SQL_TSI_DAY, ?, {ts '2020-01-01 00:00:00'})}", "SELECT Id FROM Deals WHERE AddTime < datetime('2020-01-01 00:00:00', '+' || ? || ' days')").with(vec![Param::Int(45)]));
}

/// Queries that name Unicode values taken from the data.
fn unicode(db: &rusqlite::Connection, out: &mut Vec<Case>) {
    let non_ascii = sqlite_query(
        db,
        "SELECT Title FROM Deals WHERE Title GLOB '*[^ -~]*' ORDER BY Id LIMIT 3",
        &[],
    )
    .unwrap();
    assert!(!non_ascii.is_empty(), "the dataset has non-ASCII titles");
    for row in &non_ascii {
        let Cell::Text(title) = &row[0] else { continue };
        out.push(
            same("SELECT Id FROM Deals WHERE Title = ?").with(vec![Param::Text(title.clone())]),
        );
        out.push(same(format!(
            "SELECT Id FROM Deals WHERE Title = {}",
            row[0].literal()
        )));
        let prefix: String = title.chars().take(3).collect();
        out.push(same(format!(
            "SELECT Id, Title FROM Deals WHERE Title LIKE '{}%'",
            prefix.replace('\'', "''")
        )));
        out.push(same(format!(
            "SELECT Id FROM Deals WHERE Title > {} ORDER BY Id",
            row[0].literal()
        )));
    }
    let names = sqlite_query(
        db,
        "SELECT Name FROM Persons WHERE Name GLOB '*[^ -~]*' ORDER BY Id LIMIT 3",
        &[],
    )
    .unwrap();
    assert!(!names.is_empty(), "the dataset has non-ASCII person names");
    for row in &names {
        out.push(same(format!(
            "SELECT Id FROM Persons WHERE Name = {}",
            row[0].literal()
        )));
        out.push(same(format!(
            "SELECT Id FROM Persons WHERE Name <> {}",
            row[0].literal()
        )));
    }
}

/// The whole corpus over the loaded data. `schema` lists the loaded tables'
/// columns; every column of every loaded table is also selected once on
/// its own, in id order where the table has an Id.
pub fn build(db: &rusqlite::Connection, schema: &[(String, Vec<(String, Kind)>)]) -> Vec<Case> {
    let mut out = Vec::new();
    comparisons(db, &mut out);
    null_in_between(db, &mut out);
    likes(&mut out);
    aggregates(&mut out);
    handwritten(&mut out);
    unicode(db, &mut out);
    for (table, columns) in schema {
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        if names.contains(&"Id") && table != "Leads" {
            out.push(same(format!("SELECT * FROM {table} ORDER BY Id")));
        }
    }
    out
}
