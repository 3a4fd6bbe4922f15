//! SQLSetStmtAttr / SQLGetStmtAttr over a statement's attributes.

use super::attrs::stmt as attr;
use super::statement::Stmt;
use crate::diag::{OdbcError, Result, SqlState};

fn option_changed(what: &str) -> OdbcError {
    OdbcError::new(
        SqlState::OptionValueChanged,
        format!("Option value changed: {what}"),
    )
}

impl Stmt {
    /// Sets an attribute; a substituted value is reported as a 01S02
    /// warning in the diagnostic area.
    pub fn set_attr(&mut self, id: i32, v: usize) -> Result<()> {
        let a = &mut self.attrs;
        match id {
            attr::QUERY_TIMEOUT => a.query_timeout = v,
            attr::MAX_ROWS => a.max_rows = v,
            attr::NOSCAN => a.noscan = v,
            attr::MAX_LENGTH => a.max_length = v,
            attr::ROW_BIND_TYPE => a.row_bind_type = v,
            attr::CURSOR_TYPE => {
                if v != attr::CURSOR_FORWARD_ONLY {
                    self.diag.push(&option_changed(
                        "only forward-only cursors exist (SQL_CURSOR_FORWARD_ONLY)",
                    ));
                }
            }
            attr::CONCURRENCY => {
                if v != attr::CONCUR_READ_ONLY {
                    self.diag.push(&option_changed(
                        "cursors are read-only (SQL_CONCUR_READ_ONLY)",
                    ));
                }
            }
            attr::CURSOR_SCROLLABLE => {
                if v != attr::NONSCROLLABLE {
                    return Err(OdbcError::not_implemented("scrollable cursors"));
                }
            }
            attr::CURSOR_SENSITIVITY => {
                if v != attr::INSENSITIVE && v != attr::UNSPECIFIED {
                    return Err(OdbcError::not_implemented("sensitive cursors"));
                }
            }
            attr::KEYSET_SIZE => a.keyset_size = v,
            attr::ROWSET_SIZE => {
                if v == 0 {
                    return Err(OdbcError::new(
                        SqlState::InvalidAttributeValue,
                        "SQL_ROWSET_SIZE must be at least 1",
                    ));
                }
                a.rowset_size = v;
            }
            attr::SIMULATE_CURSOR => a.simulate_cursor = v,
            attr::RETRIEVE_DATA => a.retrieve_data = v,
            attr::USE_BOOKMARKS => {
                if v != 0 {
                    return Err(OdbcError::not_implemented("bookmarks"));
                }
            }
            attr::ENABLE_AUTO_IPD => a.enable_auto_ipd = v,
            attr::FETCH_BOOKMARK_PTR => a.fetch_bookmark_ptr = v,
            attr::PARAM_BIND_OFFSET_PTR => a.param_bind_offset_ptr = v,
            attr::PARAM_BIND_TYPE => a.param_bind_type = v,
            attr::PARAM_OPERATION_PTR => a.param_operation_ptr = v,
            attr::PARAM_STATUS_PTR => a.param_status_ptr = v,
            attr::PARAMS_PROCESSED_PTR => a.params_processed_ptr = v,
            attr::PARAMSET_SIZE => {
                if v == 0 {
                    return Err(OdbcError::new(
                        SqlState::InvalidAttributeValue,
                        "SQL_ATTR_PARAMSET_SIZE must be at least 1",
                    ));
                }
                a.paramset_size = v;
            }
            attr::ROW_BIND_OFFSET_PTR => a.row_bind_offset_ptr = v,
            attr::ROW_OPERATION_PTR => a.row_operation_ptr = v,
            attr::ROW_STATUS_PTR => a.row_status_ptr = v,
            attr::ROWS_FETCHED_PTR => a.rows_fetched_ptr = v,
            attr::ROW_ARRAY_SIZE => {
                if v == 0 {
                    return Err(OdbcError::new(
                        SqlState::InvalidAttributeValue,
                        "SQL_ATTR_ROW_ARRAY_SIZE must be at least 1",
                    ));
                }
                a.row_array_size = v;
            }
            attr::METADATA_ID => a.metadata_id = v,
            attr::ASYNC_ENABLE => {
                if v != 0 {
                    return Err(OdbcError::not_implemented("asynchronous execution"));
                }
            }
            attr::ROW_NUMBER | attr::GET_BOOKMARK | attr::IMP_ROW_DESC | attr::IMP_PARAM_DESC => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Statement attribute {id} is read-only"),
                ));
            }
            attr::APP_ROW_DESC | attr::APP_PARAM_DESC => {
                return Err(OdbcError::not_implemented(
                    "explicitly allocated descriptors",
                ));
            }
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown statement attribute {other}"),
                ))
            }
        }
        Ok(())
    }

    /// Reads an attribute. `descriptors` are the tokens of the implicit
    /// ARD, APD, IRD and IPD.
    pub fn get_attr(&self, id: i32, descriptors: [usize; 4]) -> Result<usize> {
        let a = &self.attrs;
        Ok(match id {
            attr::QUERY_TIMEOUT => a.query_timeout,
            attr::MAX_ROWS => a.max_rows,
            attr::NOSCAN => a.noscan,
            attr::MAX_LENGTH => a.max_length,
            attr::ROW_BIND_TYPE => a.row_bind_type,
            attr::CURSOR_TYPE => attr::CURSOR_FORWARD_ONLY,
            attr::CONCURRENCY => attr::CONCUR_READ_ONLY,
            attr::CURSOR_SCROLLABLE => attr::NONSCROLLABLE,
            attr::CURSOR_SENSITIVITY => attr::INSENSITIVE,
            attr::KEYSET_SIZE => a.keyset_size,
            attr::ROWSET_SIZE => a.rowset_size,
            attr::SIMULATE_CURSOR => a.simulate_cursor,
            attr::RETRIEVE_DATA => a.retrieve_data,
            attr::USE_BOOKMARKS => 0,
            attr::ENABLE_AUTO_IPD => a.enable_auto_ipd,
            attr::FETCH_BOOKMARK_PTR => a.fetch_bookmark_ptr,
            attr::PARAM_BIND_OFFSET_PTR => a.param_bind_offset_ptr,
            attr::PARAM_BIND_TYPE => a.param_bind_type,
            attr::PARAM_OPERATION_PTR => a.param_operation_ptr,
            attr::PARAM_STATUS_PTR => a.param_status_ptr,
            attr::PARAMS_PROCESSED_PTR => a.params_processed_ptr,
            attr::PARAMSET_SIZE => a.paramset_size,
            attr::ROW_BIND_OFFSET_PTR => a.row_bind_offset_ptr,
            attr::ROW_OPERATION_PTR => a.row_operation_ptr,
            attr::ROW_STATUS_PTR => a.row_status_ptr,
            attr::ROWS_FETCHED_PTR => a.rows_fetched_ptr,
            attr::ROW_ARRAY_SIZE => a.row_array_size,
            attr::METADATA_ID => a.metadata_id,
            attr::ASYNC_ENABLE => 0,
            attr::ROW_NUMBER => {
                if self.cursor.is_none() {
                    return Err(OdbcError::new(
                        SqlState::InvalidCursorState,
                        "No cursor is open",
                    ));
                }
                self.current_row_number()
            }
            attr::APP_ROW_DESC => descriptors[0],
            attr::APP_PARAM_DESC => descriptors[1],
            attr::IMP_ROW_DESC => descriptors[2],
            attr::IMP_PARAM_DESC => descriptors[3],
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown statement attribute {other}"),
                ))
            }
        })
    }
}
