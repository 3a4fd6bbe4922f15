//! The two engines of the differential test: the driver through unixODBC
//! (odbc-api) and SQLite (rusqlite), each answering a query as rows of
//! [`Cell`]s, and the comparison of their answers.

use odbc_api::parameter::InputParameter;
use odbc_api::{Connection, Cursor, DataType, IntoParameter, Nullable};
use rusqlite::types::{Value as SqliteValue, ValueRef};
use std::cmp::Ordering;

/// One value of a result, in the representation both engines share.
/// Dates, times and timestamps are ISO text on both sides (SQLite has no
/// temporal types; the driver's canonical text form is ISO).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    /// The value as an SQL literal for the driver's dialect and SQLite's.
    pub fn literal(&self) -> String {
        match self {
            Cell::Null => "NULL".to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Real(r) => format!("{r:?}"),
            Cell::Text(s) => format!("'{}'", s.replace('\'', "''")),
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Real(r) => Some(*r),
            _ => None,
        }
    }

    /// A key that puts equal cells next to each other; numbers of either
    /// representation sort by value so `2` and `2.0` meet.
    fn sort_key(&self) -> (u8, f64, &str) {
        match self {
            Cell::Null => (0, 0.0, ""),
            Cell::Int(_) | Cell::Real(_) => (1, self.as_f64().unwrap_or(0.0), ""),
            Cell::Text(s) => (2, 0.0, s.as_str()),
        }
    }

    /// Equal values. Numbers compare by value with a relative tolerance of
    /// 1e-9: floating sums and averages legitimately differ in the last
    /// bits with the order of addition. An integer result on one side and a
    /// real one on the other is a representation difference (SQLite's
    /// dynamic typing), not a semantic one; the value must still agree.
    pub fn same_as(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Text(a), Cell::Text(b)) => a == b,
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => {
                    x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
                }
                _ => false,
            },
        }
    }
}

pub type Row = Vec<Cell>;

/// A `?` parameter value, bound the same way on both sides.
#[derive(Clone, Debug)]
pub enum Param {
    Int(i64),
    Real(f64),
    Text(String),
    /// A NULL of type DOUBLE.
    Null,
}

/// How the driver's rows are read: by the result column's SQL type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
}

impl Kind {
    pub fn of(data_type: DataType) -> Kind {
        match data_type {
            DataType::Integer
            | DataType::SmallInt
            | DataType::TinyInt
            | DataType::BigInt
            | DataType::Bit => Kind::Int,
            DataType::Double
            | DataType::Float { .. }
            | DataType::Real
            | DataType::Decimal { .. }
            | DataType::Numeric { .. } => Kind::Real,
            _ => Kind::Text,
        }
    }

    /// The SQLite column type (and so affinity) holding this kind.
    pub fn sqlite_type(self) -> &'static str {
        match self {
            Kind::Int => "INTEGER",
            Kind::Real => "REAL",
            Kind::Text => "TEXT",
        }
    }
}

/// A driver result: column names, kinds and rows.
pub struct DriverResult {
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<Row>,
}

fn driver_params(params: &[Param]) -> Vec<Box<dyn InputParameter>> {
    params
        .iter()
        .map(|p| -> Box<dyn InputParameter> {
            match p {
                Param::Int(i) => Box::new(*i),
                Param::Real(r) => Box::new(*r),
                Param::Text(s) => Box::new(s.clone().into_parameter()),
                Param::Null => Box::new(Nullable::<f64>::null()),
            }
        })
        .collect()
}

/// Runs `sql` through the driver and reads every row, each cell by its
/// column's SQL type.
pub fn driver_query(
    conn: &Connection,
    sql: &str,
    params: &[Param],
) -> Result<DriverResult, String> {
    let bound = driver_params(params);
    let cursor = conn
        .execute(sql, bound.as_slice(), None)
        .map_err(|e| format!("driver error: {e}"))?
        .ok_or_else(|| "driver returned no result set".to_string())?;
    read_all(cursor)
}

fn read_all(mut cursor: impl Cursor) -> Result<DriverResult, String> {
    let n = cursor.num_result_cols().map_err(|e| e.to_string())?;
    let mut columns = Vec::new();
    for i in 1..=n as u16 {
        let name = cursor.col_name(i).map_err(|e| e.to_string())?;
        let data_type = cursor.col_data_type(i).map_err(|e| e.to_string())?;
        columns.push((name, Kind::of(data_type)));
    }
    let mut rows = Vec::new();
    let mut text = Vec::new();
    while let Some(mut row) = cursor.next_row().map_err(|e| format!("fetch: {e}"))? {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, (_, kind)) in columns.iter().enumerate() {
            let col = i as u16 + 1;
            let cell = match kind {
                Kind::Int => {
                    let mut v = Nullable::<i64>::null();
                    row.get_data(col, &mut v)
                        .map_err(|e| format!("col {col}: {e}"))?;
                    v.into_opt().map_or(Cell::Null, Cell::Int)
                }
                Kind::Real => {
                    let mut v = Nullable::<f64>::null();
                    row.get_data(col, &mut v)
                        .map_err(|e| format!("col {col}: {e}"))?;
                    v.into_opt().map_or(Cell::Null, Cell::Real)
                }
                Kind::Text => {
                    if row
                        .get_wide_text(col, &mut text)
                        .map_err(|e| format!("col {col}: {e}"))?
                    {
                        Cell::Text(String::from_utf16(&text).map_err(|e| e.to_string())?)
                    } else {
                        Cell::Null
                    }
                }
            };
            cells.push(cell);
        }
        rows.push(cells);
    }
    Ok(DriverResult { columns, rows })
}

fn sqlite_params(params: &[Param]) -> Vec<SqliteValue> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(i) => SqliteValue::Integer(*i),
            Param::Real(r) => SqliteValue::Real(*r),
            Param::Text(s) => SqliteValue::Text(s.clone()),
            Param::Null => SqliteValue::Null,
        })
        .collect()
}

pub fn sqlite_query(
    db: &rusqlite::Connection,
    sql: &str,
    params: &[Param],
) -> Result<Vec<Row>, String> {
    let mut stmt = db
        .prepare(sql)
        .map_err(|e| format!("sqlite prepare: {e}"))?;
    let n = stmt.column_count();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(sqlite_params(params)))
        .map_err(|e| format!("sqlite: {e}"))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| format!("sqlite: {e}"))? {
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(match row.get_ref(i).map_err(|e| e.to_string())? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => return Err("unexpected BLOB".to_string()),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

fn cmp_rows(a: &Row, b: &Row) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let (kx, ky) = (x.sort_key(), y.sort_key());
        let o =
            kx.0.cmp(&ky.0)
                .then(kx.1.partial_cmp(&ky.1).unwrap_or(Ordering::Equal))
                .then(kx.2.cmp(ky.2));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

fn rows_equal(a: &[Row], b: &[Row]) -> Option<usize> {
    if a.len() != b.len() {
        return Some(a.len().min(b.len()));
    }
    a.iter()
        .zip(b)
        .position(|(x, y)| x.len() != y.len() || x.iter().zip(y).any(|(p, q)| !p.same_as(q)))
}

/// Compares two answers: in order when `ordered`, else as multisets.
/// `Err` describes the first difference.
pub fn compare(driver: &[Row], sqlite: &[Row], ordered: bool) -> Result<(), String> {
    let (mut d, mut s) = (driver.to_vec(), sqlite.to_vec());
    if !ordered {
        d.sort_by(cmp_rows);
        s.sort_by(cmp_rows);
    }
    match rows_equal(&d, &s) {
        None => Ok(()),
        Some(at) => Err(format!(
            "{} rows from the driver, {} from SQLite; first difference at {}{}: driver {:?} / sqlite {:?}",
            d.len(),
            s.len(),
            if ordered { "position " } else { "sorted position " },
            at,
            d.get(at),
            s.get(at)
        )),
    }
}
