//! The SQL front end: ODBC escapes, parsing, planning (pushdown vs local
//! evaluation) and streaming execution against sample records in memory.
//!
//! Properties checked, for any statement text up to `MAX_SQL_BYTES`:
//! - `prepare_with` returns a plan or an error, never panics;
//! - a prepared query executes and its rows drain (or it fails with an
//!   error), never panics or hangs;
//! - every row has as many values as the statement has result columns, and
//!   each value converts to SQL_C_WCHAR without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipedrive_odbc::convert::c_types;
use pipedrive_odbc::convert::to_c::{write_value, Target};
use pipedrive_odbc::model::Schema;
use pipedrive_odbc::sql::expr::EvalEnv;
use pipedrive_odbc::sql::{execute_with, prepare_with};
use pipedrive_odbc::types::DataType;
use pipedrive_odbc::value::{Timestamp, Value};
use pipedrive_odbc_fuzz::memory_backend::{MemoryBackend, NoCustomFields};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

/// Longer statements find nothing shorter ones do not, and slow the search.
const MAX_SQL_BYTES: usize = 2048;
/// Rows drained per statement; the rest are dropped with the source.
const MAX_ROWS: usize = 5_000;

fn env() -> EvalEnv {
    EvalEnv {
        now: Timestamp::parse("2025-06-15 12:30:00").unwrap_or_else(|| unreachable!()),
        user: "fuzzer".into(),
        database: "fuzz".into(),
        subqueries: Default::default(),
        last_insert_id: Value::Int(7),
    }
}

fn schema() -> Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| Arc::new(Schema::builtin())).clone()
}

/// Parameter `index`: an integer, a text and a NULL, in turn.
fn parameter(index: usize) -> (Value, DataType) {
    match index % 3 {
        0 => (Value::Int(1), DataType::Integer),
        1 => (Value::Text("Title 2".into()), DataType::WVarchar(255)),
        _ => (Value::Null, DataType::Integer),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_SQL_BYTES {
        return;
    }
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    // One schema for every input: with no custom fields, resolving a
    // table's columns gives its built-in ones, so no input changes what
    // the next one sees.
    let schema = schema();
    let Ok(prepared) = prepare_with(sql, &schema, &NoCustomFields) else {
        return;
    };
    let params = (0..prepared.param_count).map(parameter).collect();
    let backend = Arc::new(MemoryBackend::new(schema.clone()));
    let cancel = Arc::new(AtomicBool::new(false));
    // Writes and procedure calls execute through a connection (their
    // planning is what is fuzzed here): execute_with refuses them.
    let Ok(mut rows) = execute_with(&prepared, backend, params, env(), cancel) else {
        return;
    };
    let columns = prepared.columns.len();
    for _ in 0..MAX_ROWS {
        match rows.next_row() {
            Ok(Some(row)) => {
                assert_eq!(row.len(), columns, "{sql:?}: row {row:?}");
                for (value, column) in row.iter().zip(&prepared.columns) {
                    convert_to_wchar(value, column.data_type);
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
});

fn convert_to_wchar(value: &Value, data_type: DataType) {
    let mut buffer = [0u8; 64];
    let target = Target {
        c_type: c_types::WCHAR,
        ptr: buffer.as_mut_ptr().cast(),
        buffer_len: buffer.len() as isize,
        precision: 0,
        scale: 0,
    };
    // SAFETY: the target is the 64 bytes of `buffer`.
    let _ = unsafe { write_value(value, data_type, &target, 0) };
}
