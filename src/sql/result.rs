//! What every statement produces: described columns and a stream of rows.

use crate::diag::Result;
use crate::types::DataType;
use crate::value::Value;

/// One column of a result set, as SQLDescribeCol and SQLColAttribute report it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultColumn {
    /// SQL_DESC_NAME / SQL_DESC_LABEL: the alias, else the column name, else
    /// an expression's text.
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
    /// SQL_DESC_BASE_TABLE_NAME / TABLE_NAME ("" for expressions).
    pub table: String,
    /// SQL_DESC_BASE_COLUMN_NAME ("" for expressions).
    pub base_column: String,
}

impl ResultColumn {
    pub fn computed(name: impl Into<String>, data_type: DataType, nullable: bool) -> ResultColumn {
        ResultColumn {
            name: name.into(),
            data_type,
            nullable,
            table: String::new(),
            base_column: String::new(),
        }
    }
}

/// A forward-only stream of rows. Implementations fetch lazily, so a row can
/// reach the application before later pages are requested.
pub trait RowSource: Send {
    fn next_row(&mut self) -> Result<Option<Vec<Value>>>;
}

/// Rows already in memory (constants, catalog results).
pub struct VecSource {
    rows: std::vec::IntoIter<Vec<Value>>,
}

impl VecSource {
    pub fn new(rows: Vec<Vec<Value>>) -> VecSource {
        VecSource {
            rows: rows.into_iter(),
        }
    }
}

impl RowSource for VecSource {
    fn next_row(&mut self) -> Result<Option<Vec<Value>>> {
        Ok(self.rows.next())
    }
}
