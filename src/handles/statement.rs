//! The statement handle: attributes, bindings, the prepared statement and
//! the open cursor, and the fetch / SQLGetData logic over them.

use super::attrs::stmt as attr;
use super::bindings::{
    element_address, element_size, indicator_address, ColumnBinding, ParamBinding,
};
use super::cancel::CancelSignal;
use super::{HandleState, HandleToken};
use crate::api::interrupt::{self, Interruption, TimeoutKind};
use crate::convert::c_types as c;
use crate::convert::from_c::{self, read_value};
use crate::convert::to_c::{
    fixed_size, is_known_c_type, resolve_c_type, write_value, Target, Written, SQL_NULL_DATA,
};
use crate::diag::{DiagArea, OdbcError, Result, SqlState};
use crate::session::Session;
use crate::sql::{self, ResultColumn, RowSource};
use crate::types::DataType;
use crate::value::Value;
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::Duration;

pub const SQL_ROW_SUCCESS: u16 = 0;
pub const SQL_ROW_NOROW: u16 = 3;
pub const SQL_ROW_ERROR: u16 = 5;
pub const SQL_ROW_SUCCESS_WITH_INFO: u16 = 6;

/// SQL_ATTR_PARAM_STATUS_PTR values.
pub const SQL_PARAM_SUCCESS: u16 = 0;
pub const SQL_PARAM_DIAG_UNAVAILABLE: u16 = 1;
pub const SQL_PARAM_ERROR: u16 = 5;
pub const SQL_PARAM_SUCCESS_WITH_INFO: u16 = 6;
pub const SQL_PARAM_UNUSED: u16 = 7;
/// SQL_ATTR_PARAM_OPERATION_PTR: skip this parameter set.
pub const SQL_PARAM_IGNORE: u16 = 1;

/// How a statement function ended (errors travel as `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    NoData,
}

/// Statement attributes. Application pointers are kept as addresses.
#[derive(Debug, Clone)]
pub struct StmtAttrs {
    pub query_timeout: usize,
    pub max_rows: usize,
    pub noscan: usize,
    pub max_length: usize,
    pub row_bind_type: usize,
    pub cursor_type: usize,
    pub concurrency: usize,
    pub keyset_size: usize,
    pub rowset_size: usize,
    pub simulate_cursor: usize,
    pub retrieve_data: usize,
    pub use_bookmarks: usize,
    pub enable_auto_ipd: usize,
    pub fetch_bookmark_ptr: usize,
    pub param_bind_offset_ptr: usize,
    pub param_bind_type: usize,
    pub param_operation_ptr: usize,
    pub param_status_ptr: usize,
    pub params_processed_ptr: usize,
    pub paramset_size: usize,
    pub row_bind_offset_ptr: usize,
    pub row_operation_ptr: usize,
    pub row_status_ptr: usize,
    pub rows_fetched_ptr: usize,
    pub row_array_size: usize,
    pub metadata_id: usize,
    pub async_enable: usize,
    pub cursor_scrollable: usize,
    pub cursor_sensitivity: usize,
}

impl Default for StmtAttrs {
    fn default() -> Self {
        StmtAttrs {
            query_timeout: 0,
            max_rows: 0,
            noscan: 0,
            max_length: 0,
            row_bind_type: 0,
            cursor_type: attr::CURSOR_FORWARD_ONLY,
            concurrency: attr::CONCUR_READ_ONLY,
            keyset_size: 0,
            rowset_size: 1,
            simulate_cursor: 0,
            retrieve_data: 1,
            use_bookmarks: 0,
            enable_auto_ipd: 0,
            fetch_bookmark_ptr: 0,
            param_bind_offset_ptr: 0,
            param_bind_type: 0,
            param_operation_ptr: 0,
            param_status_ptr: 0,
            params_processed_ptr: 0,
            paramset_size: 1,
            row_bind_offset_ptr: 0,
            row_operation_ptr: 0,
            row_status_ptr: 0,
            rows_fetched_ptr: 0,
            row_array_size: 1,
            metadata_id: 0,
            async_enable: 0,
            cursor_scrollable: attr::NONSCROLLABLE,
            cursor_sensitivity: attr::INSENSITIVE,
        }
    }
}

/// Piecewise SQLGetData progress on the current row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GetDataProgress {
    column: usize,
    /// Offset into the column's C representation; `usize::MAX` = all read.
    offset: usize,
}

/// An open cursor.
pub struct Cursor {
    source: Box<dyn RowSource>,
    /// The current rowset.
    rowset: Vec<Vec<Value>>,
    /// Rows delivered so far (SQL_ATTR_ROW_NUMBER and MaxRows).
    delivered: u64,
    /// Row limit from SQL_ATTR_MAX_ROWS / MaxRows.
    limit: Option<u64>,
    exhausted: bool,
    progress: Option<GetDataProgress>,
    /// Whether the cursor is positioned on a row (after a successful fetch).
    positioned: bool,
}

pub struct Stmt {
    /// The statement's handle token, used to tag log lines.
    pub id: usize,
    pub diag: DiagArea,
    pub odbc_version: i32,
    pub session: Arc<Session>,
    pub attrs: StmtAttrs,
    pub cursor_name: String,
    /// ARD records by column number (index 0 = bookmark column).
    pub column_bindings: Vec<Option<ColumnBinding>>,
    /// APD/IPD records by parameter number - 1.
    pub param_bindings: Vec<Option<ParamBinding>>,
    pub prepared: Option<sql::Prepared>,
    /// Whether the prepared statement came from SQLPrepare (re-executable).
    pub explicitly_prepared: bool,
    /// IRD: the columns of the current or prepared result.
    pub result_columns: Vec<ResultColumn>,
    pub cursor: Option<Cursor>,
    pub executed: bool,
    /// SQLRowCount.
    pub row_count: i64,
    pub cancel: Arc<CancelSignal>,
    /// A canceled fetch closed the cursor; SQLCloseCursor then succeeds
    /// once more (see `fetch`).
    cursor_closed_by_cancel: bool,
}

pub struct StmtHandle {
    pub token: HandleToken,
    pub conn: HandleToken,
    pub cancel: Arc<CancelSignal>,
    /// Tokens of the implicit ARD, APD, IRD, IPD.
    pub descriptors: [HandleToken; 4],
    pub state: Mutex<Stmt>,
}

impl HandleState for Stmt {
    fn diag(&mut self) -> &mut DiagArea {
        &mut self.diag
    }
    fn odbc_version(&self) -> i32 {
        self.odbc_version
    }
    fn log_error(&self, error: &OdbcError) {
        self.session
            .log
            .log(crate::logging::ERRORS, Some(self.id), || error.to_string());
    }
}

fn invalid_index(n: usize) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidDescriptorIndex,
        format!("Invalid descriptor index {n}"),
    )
}

/// A value for SQLColAttribute: numeric or string.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Int(i64),
    Str(String),
}

impl Stmt {
    pub fn new(
        id: usize,
        session: Arc<Session>,
        odbc_version: i32,
        cursor_name: String,
        cancel: Arc<CancelSignal>,
    ) -> Stmt {
        Stmt {
            id,
            diag: DiagArea::default(),
            odbc_version,
            session,
            attrs: StmtAttrs::default(),
            cursor_name,
            column_bindings: Vec::new(),
            param_bindings: Vec::new(),
            prepared: None,
            explicitly_prepared: false,
            result_columns: Vec::new(),
            cursor: None,
            executed: false,
            row_count: -1,
            cancel,
            cursor_closed_by_cancel: false,
        }
    }

    // ----- preparing and executing -------------------------------------

    /// Runs one ODBC call so that SQLCancel from another thread and
    /// SQL_ATTR_QUERY_TIMEOUT stop its API requests and local work (HY008,
    /// HYT00). The timeout counts from the start of each call.
    fn interruptible<T>(&mut self, call: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let _running = self.cancel.begin();
        let interruption = Interruption::new(self.cancel.flag(), self.call_timeout());
        interrupt::during(interruption, || call(self))
    }

    /// The shorter of SQL_ATTR_QUERY_TIMEOUT and the connection's
    /// SQL_ATTR_CONNECTION_TIMEOUT (0 is none).
    fn call_timeout(&self) -> Option<(Duration, TimeoutKind)> {
        let seconds = |s: usize| (s > 0).then(|| Duration::from_secs(s as u64));
        let query = seconds(self.attrs.query_timeout).map(|t| (t, TimeoutKind::Query));
        let connection =
            seconds(self.session.connection_timeout()).map(|t| (t, TimeoutKind::Connection));
        match (query, connection) {
            (Some(q), Some(c)) => Some(if c.0 < q.0 { c } else { q }),
            (q, c) => q.or(c),
        }
    }

    /// SQLPrepare: parse and plan; the result columns are known afterwards.
    pub fn prepare(&mut self, text: &str) -> Result<()> {
        self.interruptible(|s| s.prepare_now(text))
    }

    fn prepare_now(&mut self, text: &str) -> Result<()> {
        self.close_cursor_quietly();
        self.prepared = None;
        self.executed = false;
        self.result_columns.clear();
        self.session
            .log
            .log(crate::logging::STATEMENTS, Some(self.id), || {
                // Procedure arguments are codes and tokens: masked.
                format!("prepare: {}", sql::procedures::loggable(text))
            });
        let prepared = sql::prepare(text, &self.session)?;
        self.result_columns = prepared.columns.clone();
        self.prepared = Some(prepared);
        self.explicitly_prepared = true;
        Ok(())
    }

    /// SQLExecDirect.
    pub fn exec_direct(&mut self, text: &str) -> Result<Status> {
        self.interruptible(|s| {
            s.prepare_now(text)?;
            s.explicitly_prepared = false;
            s.execute_now()
        })
    }

    /// SQLExecute.
    pub fn execute(&mut self) -> Result<Status> {
        self.interruptible(Self::execute_now)
    }

    fn execute_now(&mut self) -> Result<Status> {
        // unixODBC took an SQLCancel between calls for SQLFreeStmt(SQL_CLOSE)
        // and let this SQLExecute through: close the cursor it thinks closed.
        if self.cursor.is_some() && self.cancel.take_idle_cancel() {
            self.close_cursor_quietly();
        }
        self.cursor_closed_by_cancel = false;
        if self.cursor.is_some() {
            return Err(OdbcError::new(
                SqlState::InvalidCursorState,
                "A cursor is open: close it (SQLCloseCursor) before executing again",
            ));
        }
        let Some(prepared) = self.prepared.as_ref() else {
            return Err(OdbcError::new(
                SqlState::FunctionSequenceError,
                "No statement has been prepared",
            ));
        };
        if let Some(plan) = prepared.dml().cloned() {
            let count = prepared.param_count;
            let declared = prepared.param_types.clone();
            let columns = prepared.columns.clone();
            return self.execute_write(&plan, count, &declared, columns);
        }
        let params = self.read_parameters(prepared.param_count, &prepared.param_types)?;
        let limit = self.row_limit();
        let source = sql::execute(prepared, &self.session, params, self.cancel.flag())?;
        let mut columns = prepared.columns.clone();
        for &(column, param) in &prepared.param_columns {
            let bound = self
                .param_bindings
                .get(param)
                .copied()
                .flatten()
                .and_then(|b| DataType::from_sql_type(b.sql_type));
            if let (Some(t), Some(c)) = (bound, columns.get_mut(column)) {
                c.data_type = t;
            }
        }
        self.result_columns = columns;
        self.open_cursor(source, limit);
        self.row_count = -1;
        self.executed = true;
        self.diag.dynamic_function = "SELECT CURSOR";
        self.diag.dynamic_function_code = 85;
        Ok(Status::Success)
    }

    /// SQLExecute of INSERT / UPDATE / DELETE over every parameter set
    /// (SQL_ATTR_PARAMSET_SIZE). All sets are read and checked first, so a
    /// conversion error sends nothing; then the sets are sent in order and
    /// the first failure stops the batch: the sets before it stay written
    /// (SQL_PARAM_SUCCESS), it is SQL_PARAM_ERROR with a diagnostic record
    /// carrying its row number, the rest SQL_PARAM_UNUSED, and SQLExecute
    /// returns SQL_ERROR, as the ODBC spec describes for arrays whose
    /// processing was aborted. SQLRowCount is the total of rows written.
    fn execute_write(
        &mut self,
        plan: &Arc<sql::dml::DmlPlan>,
        count: usize,
        declared: &[Option<DataType>],
        returning: Vec<ResultColumn>,
    ) -> Result<Status> {
        let sets = self.attrs.paramset_size.max(1);
        let env = sql::dml::write_env(&self.session);
        let allow_unfiltered = self.session.config.allow_unfiltered_writes;
        self.result_columns = returning.clone();
        self.row_count = 0;
        self.executed = true;
        let (function, code) = plan.dynamic_function();
        self.diag.dynamic_function = function;
        self.diag.dynamic_function_code = code;
        let mut statuses = vec![SQL_PARAM_UNUSED; sets];
        let mut built = Vec::with_capacity(sets);
        let mut invalid: Vec<(usize, OdbcError)> = Vec::new();
        for set in 0..sets {
            if self.param_set_ignored(set) {
                built.push(None);
                continue;
            }
            let checked = self
                .read_parameter_set(set, count, declared)
                .and_then(|params| {
                    let writes = sql::dml::build_writes(plan, &params, &env, allow_unfiltered)?;
                    Ok((params, writes))
                });
            match checked {
                Ok(ready) => built.push(Some(ready)),
                Err(e) => {
                    statuses[set] = SQL_PARAM_ERROR;
                    invalid.push((set, e));
                    built.push(None);
                }
            }
        }
        if !invalid.is_empty() {
            self.write_param_progress(&statuses, sets);
            return Err(self.batch_rejected(invalid, sets));
        }
        let mut returned = Vec::new();
        let mut affected: u64 = 0;
        let mut processed = 0;
        let mut failure = None;
        for (set, ready) in built.iter().enumerate() {
            let Some((params, writes)) = ready else {
                continue;
            };
            processed = set + 1;
            match sql::dml::apply_writes(plan, writes, &self.session, params, &self.cancel.flag()) {
                Ok(done) => {
                    affected += done.affected;
                    returned.extend(done.returned);
                    statuses[set] = SQL_PARAM_SUCCESS;
                }
                Err(failed) => {
                    affected += failed.done.affected;
                    returned.extend(failed.done.returned.iter().cloned());
                    statuses[set] = SQL_PARAM_ERROR;
                    failure = Some((set, failed));
                    break;
                }
            }
        }
        self.row_count = i64::try_from(affected).unwrap_or(i64::MAX);
        self.diag.row_count = self.row_count;
        self.write_param_progress(&statuses, processed);
        self.session
            .log
            .log(crate::logging::STATEMENTS, Some(self.id), || {
                format!("{function}: {affected} row(s) written over {processed} parameter set(s)")
            });
        if let Some((set, failed)) = failure {
            return Err(self.batch_failed(set, sets, failed, affected));
        }
        if !returning.is_empty() {
            let limit = self.row_limit();
            self.open_cursor(Box::new(sql::VecSource::new(returned)), limit);
        }
        Ok(Status::Success)
    }

    /// Whether SQL_ATTR_PARAM_OPERATION_PTR marks set `set` SQL_PARAM_IGNORE.
    fn param_set_ignored(&self, set: usize) -> bool {
        if self.attrs.param_operation_ptr == 0 {
            return false;
        }
        // SAFETY: SQL_ATTR_PARAM_OPERATION_PTR points at an array of
        // SQL_ATTR_PARAMSET_SIZE SQLUSMALLINTs.
        let op = unsafe {
            (self.attrs.param_operation_ptr as *const u16)
                .add(set)
                .read_unaligned()
        };
        op == SQL_PARAM_IGNORE
    }

    /// Fills SQL_ATTR_PARAM_STATUS_PTR and SQL_ATTR_PARAMS_PROCESSED_PTR.
    fn write_param_progress(&self, statuses: &[u16], processed: usize) {
        if self.attrs.param_status_ptr != 0 {
            let base = self.attrs.param_status_ptr as *mut u16;
            for (i, status) in statuses.iter().enumerate() {
                // SAFETY: SQL_ATTR_PARAM_STATUS_PTR points at an array of
                // SQL_ATTR_PARAMSET_SIZE SQLUSMALLINTs.
                unsafe { base.add(i).write_unaligned(*status) };
            }
        }
        if self.attrs.params_processed_ptr != 0 {
            // SAFETY: SQL_ATTR_PARAMS_PROCESSED_PTR points at an SQLULEN.
            unsafe { (self.attrs.params_processed_ptr as *mut usize).write_unaligned(processed) };
        }
    }

    /// A diagnostic record for parameter set `set` (0-based): its
    /// SQL_DIAG_ROW_NUMBER, and the row named in the text for applications
    /// that show only the first record's message.
    fn push_row_record(&mut self, set: usize, error: &OdbcError) {
        let named = OdbcError {
            message: format!("Row {}: {}", set + 1, error.message),
            ..error.clone()
        };
        let mut record = crate::diag::DiagRecord::from_error(&named);
        record.row_number = set as i64 + 1;
        self.diag.records.push(record);
    }

    /// Sets that failed their checks: one record per set with its row
    /// number, and the error SQLExecute returns (nothing was sent).
    fn batch_rejected(&mut self, invalid: Vec<(usize, OdbcError)>, sets: usize) -> OdbcError {
        let failed = invalid.len();
        let mut invalid = invalid.into_iter();
        let Some((first_set, first)) = invalid.next() else {
            return OdbcError::general("internal error: no invalid parameter set");
        };
        if sets == 1 {
            return first;
        }
        let summary = OdbcError::new(
            first.state,
            format!(
                "{failed} of {sets} parameter sets are invalid (the first is row {}: {}); nothing was sent to Pipedrive",
                first_set + 1,
                first.message
            ),
        );
        for (set, error) in std::iter::once((first_set, first)).chain(invalid) {
            self.push_row_record(set, &error);
        }
        summary
    }

    /// The error for a batch stopped by set `set`: its record carries the
    /// row number; the returned error says what was written.
    fn batch_failed(
        &mut self,
        set: usize,
        sets: usize,
        failed: sql::dml::RowFailure,
        affected: u64,
    ) -> OdbcError {
        let mut error = failed.error;
        if failed.done.affected > 0 {
            error.message = format!(
                "{} ({} row(s) of this statement were written before the failure and stay written)",
                error.message, failed.done.affected
            );
        }
        if sets == 1 {
            return error;
        }
        self.push_row_record(set, &error);
        OdbcError::new(
            error.state,
            format!(
                "Parameter set {} of {sets} failed; the {set} set(s) before it were written ({affected} row(s) in all), the {} after it were not sent",
                set + 1,
                sets - set - 1
            ),
        )
        .with_native(error.native)
    }

    /// The effective row cap: SQL_ATTR_MAX_ROWS and the MaxRows property.
    fn row_limit(&self) -> Option<u64> {
        let from_attr = (self.attrs.max_rows > 0).then_some(self.attrs.max_rows as u64);
        let from_config = self.session.max_rows();
        match (from_attr, from_config) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Opens a cursor over catalog or computed rows.
    pub fn set_result(&mut self, columns: Vec<ResultColumn>, rows: Vec<Vec<Value>>) {
        self.close_cursor_quietly();
        self.prepared = None;
        self.result_columns = columns;
        let limit = self.row_limit();
        self.open_cursor(Box::new(sql::VecSource::new(rows)), limit);
        self.row_count = -1;
        self.executed = true;
    }

    fn open_cursor(&mut self, source: Box<dyn RowSource>, limit: Option<u64>) {
        self.cursor = Some(Cursor {
            source,
            rowset: Vec::new(),
            delivered: 0,
            limit,
            exhausted: false,
            progress: None,
            positioned: false,
        });
    }

    fn read_parameters(
        &self,
        count: usize,
        declared: &[Option<DataType>],
    ) -> Result<Vec<(Value, DataType)>> {
        if self.attrs.paramset_size > 1 {
            return Err(OdbcError::not_implemented(
                "parameter arrays (SQL_ATTR_PARAMSET_SIZE > 1) for queries; INSERT, UPDATE and DELETE take them",
            ));
        }
        self.read_parameter_set(0, count, declared)
    }

    /// The values of parameter set `row` (0-based) of the bound arrays,
    /// column-wise or row-wise per SQL_ATTR_PARAM_BIND_TYPE.
    fn read_parameter_set(
        &self,
        row: usize,
        count: usize,
        declared: &[Option<DataType>],
    ) -> Result<Vec<(Value, DataType)>> {
        let offset = self.bind_offset(self.attrs.param_bind_offset_ptr);
        (0..count)
            .map(|i| {
                let binding = self.param_bindings.get(i).copied().flatten().ok_or_else(|| {
                    OdbcError::new(SqlState::WrongParameterCount, format!("Parameter {} is not bound ({count} parameter markers in the statement)", i + 1))
                })?;
                let sql_type = DataType::from_sql_type(binding.sql_type).or(declared.get(i).copied().flatten()).unwrap_or(DataType::WVarchar(4000));
                let value_addr = element_address(binding.value, row, self.attrs.param_bind_type, element_size(binding.c_type, binding.buffer_len), offset);
                let ind_addr = indicator_address(binding.indicator, row, self.attrs.param_bind_type, offset);
                // SAFETY: the application bound these buffers with
                // SQLBindParameter and guarantees they are valid until
                // execution (ODBC deferred buffers).
                let indicator = (ind_addr != 0).then(|| unsafe { (ind_addr as *const isize).read_unaligned() });
                let source = from_c::Source { c_type: binding.c_type, ptr: value_addr as *const _, buffer_len: binding.buffer_len, indicator };
                unsafe { read_value(&source, sql_type) }.map(|value| (value, sql_type))
            })
            .collect()
    }

    fn bind_offset(&self, ptr: usize) -> isize {
        if ptr == 0 {
            0
        } else {
            // SAFETY: set through SQL_ATTR_*_BIND_OFFSET_PTR by the application.
            unsafe { (ptr as *const isize).read_unaligned() }
        }
    }

    // ----- cursor state ------------------------------------------------

    /// SQLFreeStmt(SQL_CLOSE): closes any cursor, no error when none is open.
    pub fn close_cursor_quietly(&mut self) {
        self.cursor = None;
    }

    /// SQLCloseCursor: 24000 when no cursor is open (unless a canceled
    /// fetch closed it, which the application need not know).
    pub fn close_cursor(&mut self) -> Result<()> {
        if std::mem::take(&mut self.cursor_closed_by_cancel) && self.cursor.is_none() {
            return Ok(());
        }
        if self.cursor.take().is_none() {
            return Err(OdbcError::new(
                SqlState::InvalidCursorState,
                "No cursor is open",
            ));
        }
        Ok(())
    }

    /// SQLMoreResults: one result set per statement, so none follows.
    pub fn more_results(&mut self) -> Result<Status> {
        self.cursor = None;
        Ok(Status::NoData)
    }

    pub fn num_result_cols(&self) -> Result<usize> {
        if self.prepared.is_none() && !self.executed {
            return Err(OdbcError::new(
                SqlState::FunctionSequenceError,
                "No statement has been prepared or executed",
            ));
        }
        Ok(self.result_columns.len())
    }

    pub fn result_column(&self, number: usize) -> Result<&ResultColumn> {
        if self.prepared.is_none() && !self.executed {
            return Err(OdbcError::new(
                SqlState::FunctionSequenceError,
                "No statement has been prepared or executed",
            ));
        }
        if number == 0 {
            return Err(OdbcError::new(
                SqlState::InvalidDescriptorIndex,
                "Bookmark columns are not supported (SQL_ATTR_USE_BOOKMARKS is off)",
            ));
        }
        self.result_columns
            .get(number - 1)
            .ok_or_else(|| invalid_index(number))
    }

    /// SQLColAttribute for one field identifier.
    pub fn column_attribute(&self, number: usize, field: u16) -> Result<AttrValue> {
        use crate::handles::descriptor::field as f;
        if field == f::COUNT {
            return Ok(AttrValue::Int(self.num_result_cols()? as i64));
        }
        let col = self.result_column(number)?;
        let t = col.data_type;
        Ok(match field {
            f::AUTO_UNIQUE_VALUE => AttrValue::Int(0),
            f::BASE_COLUMN_NAME => AttrValue::Str(col.base_column.clone()),
            f::BASE_TABLE_NAME | f::TABLE_NAME => AttrValue::Str(col.table.clone()),
            f::CASE_SENSITIVE => AttrValue::Int(i64::from(t.is_case_sensitive())),
            f::CATALOG_NAME | f::SCHEMA_NAME => AttrValue::Str(String::new()),
            f::CONCISE_TYPE => AttrValue::Int(t.sql_type().into()),
            f::TYPE => AttrValue::Int(t.verbose_type().into()),
            f::DATETIME_INTERVAL_CODE => AttrValue::Int(t.datetime_subcode().into()),
            f::DISPLAY_SIZE => AttrValue::Int(t.display_size().into()),
            f::FIXED_PREC_SCALE => AttrValue::Int(0),
            f::LABEL | f::NAME | f::ODBC2_COLUMN_NAME => AttrValue::Str(col.name.clone()),
            f::LENGTH | f::ODBC2_COLUMN_LENGTH => AttrValue::Int(
                if self.odbc_version == super::SQL_OV_ODBC2 && field == f::ODBC2_COLUMN_LENGTH {
                    t.octet_length().into()
                } else {
                    t.length().into()
                },
            ),
            f::LITERAL_PREFIX => AttrValue::Str(t.literal_prefix().unwrap_or_default().to_string()),
            f::LITERAL_SUFFIX => AttrValue::Str(t.literal_suffix().unwrap_or_default().to_string()),
            f::LOCAL_TYPE_NAME | f::TYPE_NAME => AttrValue::Str(t.type_name().to_string()),
            f::NULLABLE | f::ODBC2_COLUMN_NULLABLE => AttrValue::Int(i64::from(col.nullable)),
            f::NUM_PREC_RADIX => AttrValue::Int(t.num_prec_radix().unwrap_or(0).into()),
            f::OCTET_LENGTH => AttrValue::Int(t.octet_length().into()),
            f::PRECISION | f::ODBC2_COLUMN_PRECISION => {
                AttrValue::Int(if field == f::ODBC2_COLUMN_PRECISION {
                    t.column_size().into()
                } else {
                    t.precision().into()
                })
            }
            f::SCALE | f::ODBC2_COLUMN_SCALE => {
                AttrValue::Int(t.decimal_digits().unwrap_or(0).into())
            }
            f::SEARCHABLE => AttrValue::Int(t.searchable().into()),
            f::UNNAMED => AttrValue::Int(i64::from(col.name.is_empty())),
            f::UNSIGNED => AttrValue::Int(i64::from(t.is_unsigned())),
            f::UPDATABLE => AttrValue::Int(0), // SQL_ATTR_READONLY
            f::ODBC2_COLUMN_COUNT => AttrValue::Int(self.num_result_cols()? as i64),
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidDescriptorFieldIdentifier,
                    format!("Unknown column attribute {other}"),
                ));
            }
        })
    }

    // ----- binding -----------------------------------------------------

    /// SQLBindCol; a null target unbinds the column.
    pub fn bind_col(
        &mut self,
        number: usize,
        c_type: i16,
        target: usize,
        buffer_len: isize,
        indicator: usize,
    ) -> Result<()> {
        if number == 0 {
            return Err(OdbcError::new(
                SqlState::InvalidDescriptorIndex,
                "Bookmark columns are not supported",
            ));
        }
        if target == 0 && indicator == 0 {
            if let Some(slot) = self.column_bindings.get_mut(number) {
                *slot = None;
            }
            return Ok(());
        }
        if !is_known_c_type(c_type) {
            return Err(OdbcError::new(
                SqlState::InvalidApplicationBufferType,
                format!("Invalid C data type {c_type}"),
            ));
        }
        if buffer_len < 0 && fixed_size(c_type).is_none() {
            return Err(OdbcError::new(
                SqlState::InvalidStringOrBufferLength,
                "Negative buffer length",
            ));
        }
        if self.column_bindings.len() <= number {
            self.column_bindings.resize(number + 1, None);
        }
        self.column_bindings[number] = Some(ColumnBinding {
            c_type,
            target,
            buffer_len,
            indicator,
            octet_length: indicator,
            precision: 0,
            scale: 0,
        });
        Ok(())
    }

    pub fn unbind_columns(&mut self) {
        self.column_bindings.clear();
    }

    pub fn reset_params(&mut self) {
        self.param_bindings.clear();
    }

    pub fn bind_parameter(&mut self, number: usize, binding: ParamBinding) -> Result<()> {
        if number == 0 {
            return Err(OdbcError::new(
                SqlState::InvalidDescriptorIndex,
                "Parameter numbers start at 1",
            ));
        }
        if !is_known_c_type(binding.c_type) {
            return Err(OdbcError::new(
                SqlState::InvalidApplicationBufferType,
                format!("Invalid C data type {}", binding.c_type),
            ));
        }
        if DataType::from_sql_type(binding.sql_type).is_none() {
            return Err(OdbcError::new(
                SqlState::InvalidSqlDataType,
                format!("Unsupported SQL data type {}", binding.sql_type),
            ));
        }
        if binding.io_type != 1 {
            return Err(OdbcError::not_implemented("output parameters"));
        }
        if self.param_bindings.len() < number {
            self.param_bindings.resize(number, None);
        }
        self.param_bindings[number - 1] = Some(binding);
        Ok(())
    }

    pub fn num_params(&self) -> Result<usize> {
        match &self.prepared {
            Some(p) => Ok(p.param_count),
            None => Err(OdbcError::new(
                SqlState::FunctionSequenceError,
                "No statement has been prepared",
            )),
        }
    }

    /// SQLDescribeParam: (sql type, size, decimal digits, nullable).
    pub fn describe_param(&self, number: usize) -> Result<DataType> {
        let prepared = self.prepared.as_ref().ok_or_else(|| {
            OdbcError::new(
                SqlState::FunctionSequenceError,
                "No statement has been prepared",
            )
        })?;
        if number == 0 || number > prepared.param_count {
            return Err(invalid_index(number));
        }
        Ok(prepared
            .param_types
            .get(number - 1)
            .copied()
            .flatten()
            .unwrap_or(DataType::WVarchar(4000)))
    }

    // ----- fetching ----------------------------------------------------

    fn cursor_mut(&mut self) -> Result<&mut Cursor> {
        if !self.executed {
            return Err(OdbcError::new(
                SqlState::FunctionSequenceError,
                "The statement has not been executed",
            ));
        }
        self.cursor
            .as_mut()
            .ok_or_else(|| OdbcError::new(SqlState::InvalidCursorState, "No cursor is open"))
    }

    /// SQLFetch / SQLFetchScroll(SQL_FETCH_NEXT): fills the next rowset into
    /// the bound buffers.
    pub fn fetch(&mut self) -> Result<Status> {
        let fetched = self.interruptible(Self::fetch_now);
        // A canceled fetch leaves an incomplete result: the cursor closes,
        // as unixODBC's state machine assumes after SQLCancel. (A query
        // timeout leaves it open for the application to close.)
        if let Err(e) = &fetched {
            if e.state == SqlState::OperationCanceled && self.cursor.is_some() {
                self.close_cursor_quietly();
                self.cursor_closed_by_cancel = true;
            }
        }
        fetched
    }

    fn fetch_now(&mut self) -> Result<Status> {
        let array_size = self.attrs.row_array_size.max(1);
        let cursor = self.cursor_mut()?;
        cursor.rowset.clear();
        cursor.progress = None;
        cursor.positioned = false;
        while cursor.rowset.len() < array_size && !cursor.exhausted {
            if cursor.limit.is_some_and(|l| cursor.delivered >= l) {
                cursor.exhausted = true;
                break;
            }
            match cursor.source.next_row() {
                Ok(Some(row)) => {
                    cursor.delivered += 1;
                    cursor.rowset.push(row);
                }
                Ok(None) => cursor.exhausted = true,
                Err(e) => {
                    // A failed page ends the cursor: never present a partial
                    // result as complete.
                    cursor.exhausted = true;
                    cursor.rowset.clear();
                    self.cursor = None;
                    return Err(e);
                }
            }
        }
        let fetched = cursor.rowset.len();
        cursor.positioned = fetched > 0;
        self.write_rows_fetched(fetched);
        if fetched == 0 {
            self.write_row_statuses(&[], array_size);
            return Ok(Status::NoData);
        }
        let statuses = self.fill_bound_columns()?;
        self.write_row_statuses(&statuses, array_size);
        if array_size == 1 {
            if let Some(err) = self
                .diag
                .records
                .iter()
                .find(|r| !r.state.is_warning())
                .cloned()
            {
                // A single-row fetch that failed conversion is an error.
                self.diag.records.retain(|r| r != &err);
                return Err(OdbcError {
                    state: err.state,
                    message: err
                        .message
                        .trim_start_matches(crate::diag::MESSAGE_PREFIX)
                        .trim_start()
                        .to_string(),
                    native: err.native,
                });
            }
        }
        Ok(Status::Success)
    }

    fn write_rows_fetched(&self, n: usize) {
        if self.attrs.rows_fetched_ptr != 0 {
            // SAFETY: SQL_ATTR_ROWS_FETCHED_PTR points at an SQLULEN the
            // application keeps valid while the cursor is used.
            unsafe { (self.attrs.rows_fetched_ptr as *mut usize).write_unaligned(n) };
        }
    }

    fn write_row_statuses(&self, statuses: &[u16], array_size: usize) {
        if self.attrs.row_status_ptr == 0 {
            return;
        }
        let base = self.attrs.row_status_ptr as *mut u16;
        for i in 0..array_size {
            let status = statuses.get(i).copied().unwrap_or(SQL_ROW_NOROW);
            // SAFETY: SQL_ATTR_ROW_STATUS_PTR points at an array of
            // SQL_ATTR_ROW_ARRAY_SIZE SQLUSMALLINTs.
            unsafe { base.add(i).write_unaligned(status) };
        }
    }

    /// Converts the rowset into every bound buffer; returns per-row status.
    fn fill_bound_columns(&mut self) -> Result<Vec<u16>> {
        let offset = self.bind_offset(self.attrs.row_bind_offset_ptr);
        let bind_type = self.attrs.row_bind_type;
        let bindings: Vec<(usize, ColumnBinding)> = self
            .column_bindings
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|b| (i, b)))
            .filter(|(i, _)| *i >= 1)
            .collect();
        // Taken out while writing (report_written needs `&mut self`) and put
        // back after, not copied: a rowset is up to thousands of rows.
        let columns = std::mem::take(&mut self.result_columns);
        let rows = self
            .cursor
            .as_mut()
            .map(|c| std::mem::take(&mut c.rowset))
            .unwrap_or_default();
        let mut statuses = Vec::with_capacity(rows.len());
        for (row_index, row) in rows.iter().enumerate() {
            let mut status = SQL_ROW_SUCCESS;
            for (number, binding) in &bindings {
                let Some(column) = columns.get(number - 1) else {
                    continue;
                };
                let value = row.get(number - 1).unwrap_or(&Value::Null);
                let target = Target {
                    c_type: binding.c_type,
                    ptr: element_address(
                        binding.target,
                        row_index,
                        bind_type,
                        element_size(
                            resolve_c_type(binding.c_type, column.data_type),
                            binding.buffer_len,
                        ),
                        offset,
                    ) as *mut _,
                    buffer_len: binding.buffer_len,
                    precision: binding.precision,
                    scale: binding.scale,
                };
                let ind = indicator_address(binding.indicator, row_index, bind_type, offset);
                // SAFETY: buffers bound with SQLBindCol, addressed per the
                // application's binding orientation and array size.
                match unsafe { write_value(value, column.data_type, &target, 0) }
                    .and_then(|w| self.report_written(w, ind, row_index, *number))
                {
                    Ok(warned) => {
                        if warned && status == SQL_ROW_SUCCESS {
                            status = SQL_ROW_SUCCESS_WITH_INFO;
                        }
                    }
                    Err(e) => {
                        status = SQL_ROW_ERROR;
                        let mut record = crate::diag::DiagRecord::from_error(&e);
                        record.row_number = row_index as i64 + 1;
                        record.column_number = *number as i32;
                        self.diag.records.push(record);
                    }
                }
            }
            statuses.push(status);
        }
        self.result_columns = columns;
        if let Some(cursor) = self.cursor.as_mut() {
            cursor.rowset = rows;
        }
        Ok(statuses)
    }

    /// Writes the indicator and records truncation warnings; `Ok(true)` when
    /// a warning was raised.
    fn report_written(
        &mut self,
        written: Written,
        indicator: usize,
        row_index: usize,
        column: usize,
    ) -> Result<bool> {
        if written.indicator == SQL_NULL_DATA && indicator == 0 {
            return Err(OdbcError::new(
                SqlState::IndicatorRequired,
                format!("Column {column} is NULL and no indicator buffer was bound"),
            ));
        }
        if indicator != 0 {
            // SAFETY: the StrLen_or_Ind buffer bound for this column.
            unsafe { (indicator as *mut isize).write_unaligned(written.indicator) };
        }
        let warning = if written.truncated {
            Some(OdbcError::new(
                SqlState::StringTruncated,
                format!("String data, right truncated (column {column})"),
            ))
        } else if written.fractional_truncation {
            Some(OdbcError::new(
                SqlState::FractionalTruncation,
                format!("Fractional truncation (column {column})"),
            ))
        } else {
            None
        };
        if let Some(w) = &warning {
            let mut record = crate::diag::DiagRecord::from_error(w);
            record.row_number = row_index as i64 + 1;
            record.column_number = column as i32;
            self.diag.records.push(record);
        }
        Ok(warning.is_some())
    }

    /// SQLGetData on the current row (the first row of the rowset).
    pub fn get_data(
        &mut self,
        number: usize,
        c_type: i16,
        target: usize,
        buffer_len: isize,
        indicator: usize,
    ) -> Result<Status> {
        if number == 0 {
            return Err(OdbcError::new(
                SqlState::InvalidDescriptorIndex,
                "Bookmark columns are not supported",
            ));
        }
        if !is_known_c_type(c_type) {
            return Err(OdbcError::new(
                SqlState::InvalidApplicationBufferType,
                format!("Invalid C data type {c_type}"),
            ));
        }
        if buffer_len < 0 {
            return Err(OdbcError::new(
                SqlState::InvalidStringOrBufferLength,
                "Negative buffer length",
            ));
        }
        let column = self
            .result_columns
            .get(number.wrapping_sub(1))
            .cloned()
            .ok_or_else(|| invalid_index(number))?;
        let cursor = self.cursor_mut()?;
        if !cursor.positioned {
            return Err(OdbcError::new(
                SqlState::InvalidCursorState,
                "The cursor is not positioned on a row (call SQLFetch first)",
            ));
        }
        let value = cursor
            .rowset
            .first()
            .and_then(|r| r.get(number - 1))
            .cloned()
            .unwrap_or(Value::Null);
        let offset = match cursor.progress {
            Some(p) if p.column == number && p.offset == usize::MAX => return Ok(Status::NoData),
            Some(p) if p.column == number => p.offset,
            _ => 0,
        };
        let resolved = resolve_c_type(c_type, column.data_type);
        let target = Target {
            c_type: resolved,
            ptr: target as *mut _,
            buffer_len,
            precision: 0,
            scale: 0,
        };
        // SAFETY: the application passes a buffer of buffer_len bytes (or
        // of the C type's size for fixed types).
        let written = unsafe { write_value(&value, column.data_type, &target, offset) }?;
        let piecewise = matches!(resolved, c::CHAR | c::WCHAR | c::BINARY);
        let next = if piecewise && written.truncated {
            written.next_offset
        } else {
            usize::MAX
        };
        if let Some(cursor) = self.cursor.as_mut() {
            cursor.progress = Some(GetDataProgress {
                column: number,
                offset: next,
            });
        }
        self.report_written(written, indicator, 0, number)?;
        Ok(Status::Success)
    }

    /// SQL_ATTR_ROW_NUMBER: the number of the current row in the result.
    pub fn current_row_number(&self) -> usize {
        match &self.cursor {
            Some(c) if c.positioned => (c.delivered as usize).saturating_sub(c.rowset.len()) + 1,
            _ => 0,
        }
    }
}
