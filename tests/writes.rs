//! INSERT, UPDATE and DELETE through unixODBC: round trips checked in the
//! simulator's data, the safety rules (read-only and required columns,
//! type errors, unfiltered writes) checked before any request, parameter
//! arrays column-wise and row-wise with their status arrays, a differential
//! test against SQLite, and batches under injected faults.

mod common;

use common::sql_state;

use odbc_api::handles::{AsStatementRef, Statement};
use odbc_api::sys;
use odbc_api::{Connection, ConnectionOptions, Environment, IntoParameter};
use pipedrive_sim::{FaultKind, FaultRule, Faults, SimConfig, Simulator};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::ptr::null_mut;

const SQL_PARAM_SUCCESS: u16 = 0;
const SQL_PARAM_ERROR: u16 = 5;
const SQL_PARAM_UNUSED: u16 = 7;
const SQL_PARAM_IGNORE: u16 = 1;
const SQL_DIAG_ROW_NUMBER: i16 = -1248;

fn start(deals: u64) -> Simulator {
    Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals,
        seed: 5,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn connect_with<'e>(env: &'e Environment, sim: &Simulator, extra: &str) -> Connection<'e> {
    env.connect_with_connection_string(
        &format!("{};{extra}", common::connection_string(sim)),
        ConnectionOptions::default(),
    )
    .expect("connects")
}

fn deal_by_title(sim: &Simulator, title: &str) -> Vec<Json> {
    sim.dataset()
        .deals()
        .filter(|d| d["title"] == title && d["status"] != "deleted" && d["is_deleted"] != true)
        .collect()
}

fn write_requests(sim: &Simulator) -> Vec<(String, String)> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path))
        .collect()
}

// ----- parameter arrays through the driver manager ------------------------

#[derive(Debug)]
struct Diag {
    state: String,
    row: isize,
    message: String,
}

#[derive(Debug)]
struct ArrayRun {
    ret: i16,
    statuses: Vec<u16>,
    processed: usize,
    /// SQLRowCount; -1 after SQL_ERROR, when the driver manager refuses it.
    row_count: isize,
    diags: Vec<Diag>,
}

const CELL: usize = 256;

/// Executes `sql` with column-wise bound text arrays (`columns[c][row]`),
/// the way SSIS and pyodbc's fast_executemany bind them, and reads back
/// the status array, PARAMS_PROCESSED, SQLRowCount and every diagnostic
/// record with its SQL_DIAG_ROW_NUMBER.
fn run_array(
    conn: &Connection,
    sql: &str,
    columns: &[Vec<Option<String>>],
    operations: Option<&[u16]>,
) -> ArrayRun {
    let rows = columns.first().map_or(1, Vec::len);
    let mut buffers: Vec<Vec<u8>> = columns.iter().map(|_| vec![0u8; rows * CELL]).collect();
    let mut indicators: Vec<Vec<isize>> = columns.iter().map(|_| vec![0isize; rows]).collect();
    for (c, column) in columns.iter().enumerate() {
        for (r, cell) in column.iter().enumerate() {
            match cell {
                Some(text) => {
                    assert!(text.len() < CELL);
                    buffers[c][r * CELL..r * CELL + text.len()].copy_from_slice(text.as_bytes());
                    indicators[c][r] = text.len() as isize;
                }
                None => indicators[c][r] = -1,
            }
        }
    }
    let mut statuses = vec![99u16; rows];
    let mut processed: usize = 12345;
    let ops: Vec<u16> = operations.map(<[u16]>::to_vec).unwrap_or_default();
    let mut pre = conn.preallocate().unwrap();
    let stmt_ref = pre.as_stmt_ref();
    let h = stmt_ref.as_sys();
    unsafe {
        for c in 0..columns.len() {
            let r = sys::SQLBindParameter(
                h,
                (c + 1) as u16,
                sys::ParamType::Input,
                sys::CDataType::Char,
                sys::SqlDataType::VARCHAR,
                (CELL - 1) as sys::ULen,
                0,
                buffers[c].as_mut_ptr() as sys::Pointer,
                CELL as sys::Len,
                indicators[c].as_mut_ptr(),
            );
            assert_eq!(r, sys::SqlReturn::SUCCESS);
        }
        set_attr(h, sys::StatementAttribute::ParamsetSize, rows);
        set_attr(
            h,
            sys::StatementAttribute::ParamStatusPtr,
            statuses.as_mut_ptr() as usize,
        );
        set_attr(
            h,
            sys::StatementAttribute::ParamsProcessedPtr,
            &mut processed as *mut usize as usize,
        );
        if !ops.is_empty() {
            set_attr(
                h,
                sys::StatementAttribute::ParamOpterationPtr,
                ops.as_ptr() as usize,
            );
        }
        let ret = sys::SQLExecDirect(h, sql.as_ptr(), sql.len() as i32);
        // Diagnostics first: any other call clears them.
        let diags = diagnostics(h);
        // After SQL_ERROR the driver manager puts the statement back in
        // an unexecuted state and refuses SQLRowCount (HY010): the
        // statuses tell what happened instead. -1 stands for that.
        let mut row_count: sys::Len = -1;
        if ret == sys::SqlReturn::SUCCESS || ret == sys::SqlReturn::SUCCESS_WITH_INFO {
            assert_eq!(sys::SQLRowCount(h, &mut row_count), sys::SqlReturn::SUCCESS);
        }
        let _ = sys::SQLFreeStmt(h, sys::FreeStmtOption::Close);
        let _ = sys::SQLFreeStmt(h, sys::FreeStmtOption::ResetParams);
        ArrayRun {
            ret: ret.0,
            statuses,
            processed,
            row_count,
            diags,
        }
    }
}

unsafe fn set_attr(h: sys::HStmt, attr: sys::StatementAttribute, value: usize) {
    let r = sys::SQLSetStmtAttr(h, attr, value as sys::Pointer, 0);
    assert_eq!(r, sys::SqlReturn::SUCCESS, "{attr:?}");
}

unsafe fn diagnostics(h: sys::HStmt) -> Vec<Diag> {
    let mut out = Vec::new();
    for rec in 1..50i16 {
        let mut state = [0u8; 6];
        let mut native = 0i32;
        let mut message = vec![0u8; 2048];
        let mut len = 0i16;
        let r = sys::SQLGetDiagRec(
            sys::HandleType::Stmt,
            h.as_handle(),
            rec,
            state.as_mut_ptr(),
            &mut native,
            message.as_mut_ptr(),
            message.len() as i16,
            &mut len,
        );
        if r != sys::SqlReturn::SUCCESS && r != sys::SqlReturn::SUCCESS_WITH_INFO {
            break;
        }
        let mut row: isize = 0;
        let _ = sys::SQLGetDiagFieldW(
            sys::HandleType::Stmt,
            h.as_handle(),
            rec,
            SQL_DIAG_ROW_NUMBER,
            &mut row as *mut isize as sys::Pointer,
            0,
            null_mut(),
        );
        out.push(Diag {
            state: String::from_utf8_lossy(&state[..5]).into_owned(),
            row,
            message: String::from_utf8_lossy(&message[..len.max(0) as usize]).into_owned(),
        });
    }
    out
}

fn texts(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

// ----- round trips ----------------------------------------------------------

#[test]
fn insert_update_delete_round_trip_with_last_insert_id() {
    let sim = start(30);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let fields = sim.dataset().deal_custom_fields();
    assert!(common::query_text(&conn, "SELECT LAST_INSERT_ID()")[0][0].is_none());

    conn.execute(
        "INSERT INTO Deals (Title, Value, Currency, ExpectedCloseDate, LabelIds) VALUES (?, ?, 'EUR', {d '2026-06-30'}, '1,3')",
        (&"Großauftrag Nordwind".into_parameter(), &12345.5f64),
        None,
    )
    .unwrap();
    let id: i64 = common::query_text(&conn, "SELECT LAST_INSERT_ID()")[0][0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let record = sim
        .dataset()
        .deal(id as u64)
        .expect("created in the simulator");
    assert_eq!(record["title"], "Großauftrag Nordwind");
    assert_eq!(record["value"], 12345.5);
    assert_eq!(record["currency"], "EUR");
    assert_eq!(record["expected_close_date"], "2026-06-30");
    assert_eq!(record["label_ids"], serde_json::json!([1, 3]));
    assert_eq!(
        common::query_text(&conn, "SELECT SCOPE_IDENTITY()")[0][0].as_deref(),
        Some(id.to_string().as_str())
    );

    // PATCH sends only the SET columns.
    sim.reset_requests();
    let mut prepared = conn
        .prepare("UPDATE Deals SET Probability = ?, LostReason = NULL WHERE Id = ?")
        .unwrap();
    prepared.execute((&40.0f64, &id)).unwrap();
    assert_eq!(prepared.row_count().unwrap(), Some(1));
    assert_eq!(
        write_requests(&sim),
        vec![("PATCH".to_string(), format!("/api/v2/deals/{id}"))]
    );
    let record = sim.dataset().deal(id as u64).unwrap();
    assert_eq!(record["probability"], 40.0);
    assert_eq!(record["title"], "Großauftrag Nordwind");

    // An enum custom field by label.
    {
        let (key, name, _) = fields
            .iter()
            .find(|f| f.2 == "enum")
            .expect("the simulator defines an enum deal field");
        let options: Vec<(String, String)> = sim
            .dataset()
            .deal_fields()
            .into_iter()
            .find(|f| f["key"] == key.as_str() || f["field_code"] == key.as_str())
            .and_then(|f| f["options"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|o| {
                (
                    o["id"].to_string(),
                    o["label"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        {
            let (option_id, label) = options.first().expect("the enum field has options");
            let column = pascal_case(name);
            conn.execute(
                &format!("UPDATE Deals SET \"{column}\" = ? WHERE Id = {id}"),
                (&label.as_str().into_parameter(),),
                None,
            )
            .unwrap();
            let stored = sim.dataset().deal(id as u64).unwrap()["custom_fields"][key].to_string();
            assert_eq!(stored, *option_id, "{column} by label {label}");
        }
    }

    sim.reset_requests();
    let mut delete = conn
        .prepare("DELETE FROM Deals WHERE Id IN (?, 999999)")
        .unwrap();
    delete.execute(&id).unwrap();
    assert_eq!(
        delete.row_count().unwrap(),
        Some(1),
        "999999 does not exist"
    );
    assert!(deal_by_title(&sim, "Großauftrag Nordwind").is_empty());
}

#[test]
fn insert_returning_gives_the_created_rows() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let rows = common::query_text(
        &conn,
        "INSERT INTO Organizations (Name, Address) VALUES ('Acme GmbH', 'Berlin'), ('Beta AG', NULL) RETURNING Id, Name",
    );
    assert_eq!(rows.len(), 2);
    for (row, name) in rows.iter().zip(["Acme GmbH", "Beta AG"]) {
        let id: u64 = row[0].as_deref().unwrap().parse().unwrap();
        assert_eq!(sim.dataset().organization(id).unwrap()["name"], name);
        assert_eq!(row[1].as_deref(), Some(name));
    }
}

// ----- safety ---------------------------------------------------------------

#[test]
fn read_only_required_and_type_errors_fail_before_any_request() {
    let sim = start(10);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    // Warm the custom-field definitions so that only writes would remain.
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    sim.reset_requests();
    let err = conn
        .execute(
            "INSERT INTO Deals (Id, Title, AddTime, UpdateTime) VALUES (5, 'x', NULL, NULL)",
            (),
            None,
        )
        .unwrap_err();
    assert_eq!(sql_state(&err), "42000");
    let text = err.to_string();
    assert!(text.contains("Id, AddTime, UpdateTime"), "{text}");

    let err = conn
        .execute("INSERT INTO Deals (Value) VALUES (10)", (), None)
        .unwrap_err();
    assert_eq!(sql_state(&err), "23000");
    assert!(err.to_string().contains("Title"), "{err}");

    let err = conn
        .execute(
            "INSERT INTO Deals (Title, Value) VALUES ('ok', 'twelve')",
            (),
            None,
        )
        .unwrap_err();
    assert_eq!(sql_state(&err), "22018");
    let err = conn
        .execute(
            "INSERT INTO Deals (Title, ExpectedCloseDate) VALUES ('ok', '2026-13-45')",
            (),
            None,
        )
        .unwrap_err();
    assert!(
        ["22007", "22008", "22018"].contains(&sql_state(&err).as_str()),
        "{err}"
    );
    let err = conn
        .execute("INSERT INTO Deals (Title) VALUES (NULL)", (), None)
        .unwrap_err();
    assert_eq!(sql_state(&err), "23000");
    let err = conn
        .execute("UPDATE Users SET Name = 'x' WHERE Id = 1", (), None)
        .unwrap_err();
    assert_eq!(sql_state(&err), "42000");
    assert!(err.to_string().contains("read-only"), "{err}");
    let err = conn
        .execute("UPDATE Deals SET Nope = 1 WHERE Id = 1", (), None)
        .unwrap_err();
    assert_eq!(sql_state(&err), "42S22");
    let err = conn.execute("DELETE FROM Deals", (), None).unwrap_err();
    assert_eq!(sql_state(&err), "42000");
    assert!(err.to_string().contains("AllowUnfilteredWrites"), "{err}");
    assert!(
        write_requests(&sim).is_empty(),
        "{:?}",
        write_requests(&sim)
    );
}

#[test]
fn unfiltered_writes_need_the_opt_in_and_then_change_every_row() {
    let sim = start(7);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "AllowUnfilteredWrites=true");
    let before = common::query_text(&conn, "SELECT COUNT(*) FROM Deals")[0][0]
        .as_deref()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let mut update = conn
        .prepare("UPDATE Deals SET LostReason = 'bulk'")
        .unwrap();
    update.execute(()).unwrap();
    assert_eq!(update.row_count().unwrap(), Some(before as usize));
    assert_eq!(
        common::query_text(
            &conn,
            "SELECT COUNT(*) FROM Deals WHERE LostReason = 'bulk'"
        )[0][0]
            .as_deref(),
        Some(before.to_string().as_str())
    );
}

#[test]
fn where_other_than_id_selects_ids_first_with_pushdown() {
    let sim = start(40);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let owner = sim
        .dataset()
        .deals()
        .find(|d| d["status"] == "open")
        .map(|d| d["owner_id"].as_i64().unwrap())
        .unwrap();
    let expected: Vec<i64> = common::listed_deal_ids(&sim)
        .into_iter()
        .filter(|id| sim.dataset().deal(*id as u64).unwrap()["owner_id"] == owner)
        .collect();
    sim.reset_requests();
    let mut update = conn
        .prepare("UPDATE Deals SET LostReason = ? WHERE OwnerId = ?")
        .unwrap();
    update
        .execute((&"reassigned".into_parameter(), &owner))
        .unwrap();
    assert_eq!(update.row_count().unwrap(), Some(expected.len()));
    let requests = sim.requests();
    let reads: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v2/deals")
        .collect();
    assert!(!reads.is_empty());
    assert!(
        reads
            .iter()
            .all(|r| r.query.contains(&format!("owner_id={owner}"))),
        "the owner filter goes to the API: {reads:?}"
    );
    let patches = requests.iter().filter(|r| r.method == "PATCH").count();
    assert_eq!(patches, expected.len(), "one request per row");
    for id in expected {
        assert_eq!(
            sim.dataset().deal(id as u64).unwrap()["lost_reason"],
            "reassigned"
        );
    }
}

// ----- parameter arrays -----------------------------------------------------

#[test]
fn column_wise_arrays_fill_statuses_and_row_count_and_honour_ignore() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let titles = texts(&["arr-a", "arr-b", "arr-c", "arr-d"]);
    let values = texts(&["1.5", "2", "3", "4"]);
    sim.reset_requests();
    let run = run_array(
        &conn,
        "INSERT INTO Deals (Title, Value) VALUES (?, ?)",
        &[titles, values],
        Some(&[0, SQL_PARAM_IGNORE, 0, 0]),
    );
    assert_eq!(run.ret, 0, "{run:?}");
    assert_eq!(
        run.statuses,
        vec![
            SQL_PARAM_SUCCESS,
            SQL_PARAM_UNUSED,
            SQL_PARAM_SUCCESS,
            SQL_PARAM_SUCCESS
        ]
    );
    assert_eq!(run.processed, 4);
    assert_eq!(run.row_count, 3);
    assert_eq!(write_requests(&sim).len(), 3, "one POST per row");
    assert_eq!(deal_by_title(&sim, "arr-a")[0]["value"], 1.5);
    assert!(deal_by_title(&sim, "arr-b").is_empty());

    // UPDATE and DELETE take arrays too; SQLRowCount is the sum.
    let ids: Vec<String> = ["arr-a", "arr-c", "arr-d"]
        .iter()
        .map(|t| deal_by_title(&sim, t)[0]["id"].to_string())
        .collect();
    let run = run_array(
        &conn,
        "UPDATE Deals SET Currency = ? WHERE Id = ?",
        &[
            texts(&["USD", "GBP", "CHF"]),
            ids.iter().map(|i| Some(i.clone())).collect(),
        ],
        None,
    );
    assert_eq!(run.ret, 0, "{run:?}");
    assert_eq!(run.row_count, 3);
    assert_eq!(deal_by_title(&sim, "arr-c")[0]["currency"], "GBP");
    let run = run_array(
        &conn,
        "DELETE FROM Deals WHERE Id = ?",
        &[vec![
            Some(ids[0].clone()),
            Some("987654".into()),
            Some(ids[2].clone()),
        ]],
        None,
    );
    assert_eq!(run.row_count, 2, "{run:?}");
    assert_eq!(run.statuses, vec![SQL_PARAM_SUCCESS; 3]);
    assert!(deal_by_title(&sim, "arr-a").is_empty());
    assert_eq!(deal_by_title(&sim, "arr-c").len(), 1);
}

#[repr(C)]
struct DealRow {
    title: [u8; 32],
    title_ind: isize,
    probability: f64,
    probability_ind: isize,
}

#[test]
fn row_wise_arrays_bind_a_struct_per_row() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let mut rows: Vec<DealRow> = (0..3)
        .map(|i| {
            let title = format!("rowwise-{i}");
            let mut buf = [0u8; 32];
            buf[..title.len()].copy_from_slice(title.as_bytes());
            DealRow {
                title: buf,
                title_ind: title.len() as isize,
                probability: 10.0 * f64::from(i + 1),
                probability_ind: if i == 1 { -1 } else { 0 },
            }
        })
        .collect();
    let mut statuses = vec![99u16; 3];
    let mut pre = conn.preallocate().unwrap();
    let stmt_ref = pre.as_stmt_ref();
    let h = stmt_ref.as_sys();
    let base = rows.as_mut_ptr();
    let sql = "INSERT INTO Deals (Title, Probability) VALUES (?, ?)";
    unsafe {
        set_attr(
            h,
            sys::StatementAttribute::ParamBindType,
            std::mem::size_of::<DealRow>(),
        );
        set_attr(h, sys::StatementAttribute::ParamsetSize, 3);
        set_attr(
            h,
            sys::StatementAttribute::ParamStatusPtr,
            statuses.as_mut_ptr() as usize,
        );
        let r = sys::SQLBindParameter(
            h,
            1,
            sys::ParamType::Input,
            sys::CDataType::Char,
            sys::SqlDataType::VARCHAR,
            31,
            0,
            (*base).title.as_mut_ptr() as sys::Pointer,
            32,
            &mut (*base).title_ind,
        );
        assert_eq!(r, sys::SqlReturn::SUCCESS);
        let r = sys::SQLBindParameter(
            h,
            2,
            sys::ParamType::Input,
            sys::CDataType::Double,
            sys::SqlDataType::DOUBLE,
            15,
            0,
            &mut (*base).probability as *mut f64 as sys::Pointer,
            0,
            &mut (*base).probability_ind,
        );
        assert_eq!(r, sys::SqlReturn::SUCCESS);
        let r = sys::SQLExecDirect(h, sql.as_ptr(), sql.len() as i32);
        assert_eq!(r, sys::SqlReturn::SUCCESS, "{:?}", diagnostics(h));
        let mut count: sys::Len = 0;
        assert_eq!(sys::SQLRowCount(h, &mut count), sys::SqlReturn::SUCCESS);
        assert_eq!(count, 3);
    }
    assert_eq!(statuses, vec![SQL_PARAM_SUCCESS; 3]);
    assert_eq!(deal_by_title(&sim, "rowwise-0")[0]["probability"], 10.0);
    assert!(deal_by_title(&sim, "rowwise-1")[0]["probability"].is_null());
    assert_eq!(deal_by_title(&sim, "rowwise-2")[0]["probability"], 30.0);
}

#[test]
fn a_type_error_in_one_set_sends_nothing_and_names_its_row() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    sim.reset_requests();
    let run = run_array(
        &conn,
        "INSERT INTO Deals (Title, Value) VALUES (?, ?)",
        &[
            texts(&["t1", "t2", "t3", "t4", "t5"]),
            texts(&["1", "2", "three", "4", "5"]),
        ],
        None,
    );
    assert_eq!(run.ret, -1);
    assert_eq!(
        run.statuses,
        vec![
            SQL_PARAM_UNUSED,
            SQL_PARAM_UNUSED,
            SQL_PARAM_ERROR,
            SQL_PARAM_UNUSED,
            SQL_PARAM_UNUSED
        ]
    );
    // All five were checked; none was sent (below).
    assert_eq!(run.processed, 5, "{run:?}");
    let row3 = run
        .diags
        .iter()
        .find(|d| d.row == 3)
        .expect("a record for row 3");
    assert_eq!(row3.state, "22018", "{run:?}");
    assert!(write_requests(&sim).is_empty());
}

// ----- faults -----------------------------------------------------------------

fn insert_batch(conn: &Connection, prefix: &str, n: usize) -> ArrayRun {
    let titles: Vec<Option<String>> = (1..=n).map(|i| Some(format!("{prefix}-{i}"))).collect();
    run_array(
        conn,
        "INSERT INTO Deals (Title) VALUES (?)",
        &[titles],
        None,
    )
}

/// After a batch: the simulator holds the rows reported SQL_PARAM_SUCCESS
/// exactly once, none of the rows never sent, and a failed row only if its
/// outcome was reported unknown (then at most once).
fn assert_reported_rows_match(sim: &Simulator, prefix: &str, run: &ArrayRun) {
    for (i, status) in run.statuses.iter().enumerate() {
        let title = format!("{prefix}-{}", i + 1);
        let held = deal_by_title(sim, &title).len();
        match *status {
            SQL_PARAM_SUCCESS => assert_eq!(held, 1, "{title} was reported written"),
            SQL_PARAM_UNUSED => assert_eq!(held, 0, "{title} was reported not sent"),
            SQL_PARAM_ERROR => {
                let diag = run
                    .diags
                    .iter()
                    .find(|d| d.row == i as isize + 1)
                    .unwrap_or_else(|| panic!("no diagnostic for row {}: {run:?}", i + 1));
                if diag.message.contains("outcome") {
                    assert!(held <= 1, "{title} duplicated");
                } else {
                    assert_eq!(held, 0, "{title} reported failed: {}", diag.message);
                }
            }
            other => panic!("status {other} for {title}"),
        }
    }
    let written = run
        .statuses
        .iter()
        .filter(|s| **s == SQL_PARAM_SUCCESS)
        .count();
    if run.ret >= 0 {
        assert_eq!(run.row_count, written as isize);
    }
}

fn fault_on_deal_posts(sim: &Simulator, kind: FaultKind, nth: u64) {
    sim.set_faults(Faults {
        seed: 1,
        rules: vec![FaultRule::new(kind).path_prefix("/api/v2/deals").nth(nth)],
    })
    .unwrap();
}

#[test]
fn a_500_during_a_post_stops_the_batch_without_replaying_it() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "RetryWaitTime=10");
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    fault_on_deal_posts(
        &sim,
        FaultKind::Error {
            statuses: vec![500],
        },
        4,
    );
    sim.reset_requests();
    let run = insert_batch(&conn, "f500", 8);
    assert_eq!(run.ret, -1);
    assert_eq!(run.processed, 4);
    assert_eq!(&run.statuses[..4], &[0, 0, 0, SQL_PARAM_ERROR]);
    assert!(run.statuses[4..].iter().all(|s| *s == SQL_PARAM_UNUSED));
    assert_eq!(
        write_requests(&sim).len(),
        4,
        "the failed POST is not sent again"
    );
    assert_reported_rows_match(&sim, "f500", &run);
}

#[test]
fn a_429_is_retried_because_nothing_was_done() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "RetryWaitTime=10");
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    fault_on_deal_posts(
        &sim,
        FaultKind::Error {
            statuses: vec![429],
        },
        2,
    );
    let run = insert_batch(&conn, "f429", 5);
    assert_eq!(run.ret, 0, "{run:?}");
    assert_eq!(run.statuses, vec![SQL_PARAM_SUCCESS; 5]);
    assert_reported_rows_match(&sim, "f429", &run);
}

#[test]
fn a_dropped_connection_during_a_post_is_reported_not_replayed() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "RetryWaitTime=10");
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    fault_on_deal_posts(&sim, FaultKind::DropConnection, 3);
    sim.reset_requests();
    let run = insert_batch(&conn, "fdrop", 6);
    assert_eq!(run.ret, -1);
    assert_eq!(run.statuses[2], SQL_PARAM_ERROR);
    let diag = run.diags.iter().find(|d| d.row == 3).unwrap();
    assert!(diag.message.contains("outcome"), "{diag:?}");
    assert_eq!(write_requests(&sim).len(), 3);
    assert_reported_rows_match(&sim, "fdrop", &run);
}

#[test]
fn a_timeout_during_a_post_is_reported_as_unknown_and_never_duplicated() {
    let sim = start(5);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "Timeout=1;RetryWaitTime=10");
    common::query_text(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    fault_on_deal_posts(
        &sim,
        FaultKind::Latency {
            min_ms: 2500,
            max_ms: 2500,
        },
        2,
    );
    let run = insert_batch(&conn, "ftime", 4);
    assert_eq!(run.ret, -1);
    assert_eq!(
        run.statuses,
        vec![
            SQL_PARAM_SUCCESS,
            SQL_PARAM_ERROR,
            SQL_PARAM_UNUSED,
            SQL_PARAM_UNUSED
        ]
    );
    let diag = run.diags.iter().find(|d| d.row == 2).unwrap();
    assert_eq!(diag.state, "HYT00", "{diag:?}");
    assert_reported_rows_match(&sim, "ftime", &run);
}

#[test]
fn updates_and_deletes_are_retried_through_server_errors() {
    let sim = start(10);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "RetryWaitTime=10");
    let ids: Vec<i64> = common::listed_deal_ids(&sim).into_iter().take(3).collect();
    sim.set_faults(Faults {
        seed: 1,
        rules: vec![
            FaultRule::new(FaultKind::Error {
                statuses: vec![503],
            })
            .path_prefix(&format!("/api/v2/deals/{}", ids[0]))
            .nth(1),
            FaultRule::new(FaultKind::DropConnection)
                .path_prefix(&format!("/api/v2/deals/{}", ids[1]))
                .nth(1),
        ],
    })
    .unwrap();
    let run = run_array(
        &conn,
        "UPDATE Deals SET LostReason = ? WHERE Id = ?",
        &[
            texts(&["r0", "r1", "r2"]),
            ids.iter().map(|i| Some(i.to_string())).collect(),
        ],
        None,
    );
    assert_eq!(run.ret, 0, "{run:?}");
    assert_eq!(run.row_count, 3);
    for (id, reason) in ids.iter().zip(["r0", "r1", "r2"]) {
        assert_eq!(
            sim.dataset().deal(*id as u64).unwrap()["lost_reason"],
            reason
        );
    }
    sim.set_faults(Faults {
        seed: 1,
        rules: vec![FaultRule::new(FaultKind::DropConnection)
            .path_prefix(&format!("/api/v2/deals/{}", ids[2]))
            .nth(1)],
    })
    .unwrap();
    let mut delete = conn.prepare("DELETE FROM Deals WHERE Id = ?").unwrap();
    delete.execute(&ids[2]).unwrap();
    assert_eq!(delete.row_count().unwrap(), Some(1));
    assert!(!common::listed_deal_ids(&sim).contains(&ids[2]));
}

// ----- differential test against SQLite ---------------------------------------

const COMPARED: &str =
    "Id, Title, Value, Currency, Probability, LostReason, ExpectedCloseDate, OwnerId";

/// A write statement of the corpus: SQL and its parameter sets (each set a
/// row of text values; one set for plain statements, none for literals).
struct Case {
    sql: String,
    sets: Vec<Vec<Option<String>>>,
}

/// A tiny deterministic generator (the corpus must be the same every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn canonical(text: Option<&str>) -> Option<String> {
    let text = text?;
    match text.parse::<f64>() {
        Ok(n) if !text.contains('-') || text.starts_with('-') => Some(format!("{n}")),
        _ => Some(text.to_string()),
    }
}

fn sqlite_rows(db: &rusqlite::Connection) -> BTreeMap<i64, Vec<Option<String>>> {
    let mut stmt = db
        .prepare(&format!("SELECT {COMPARED} FROM deals"))
        .unwrap();
    let rows = stmt
        .query_map([], |row| {
            let mut out = Vec::new();
            for i in 0..8 {
                let v: rusqlite::types::Value = row.get(i)?;
                out.push(match v {
                    rusqlite::types::Value::Null => None,
                    rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                    rusqlite::types::Value::Real(r) => Some(format!("{r}")),
                    rusqlite::types::Value::Text(t) => Some(t),
                    rusqlite::types::Value::Blob(_) => None,
                });
            }
            Ok(out)
        })
        .unwrap();
    rows.map(|r| {
        let r = r.unwrap();
        let id = r[0].as_deref().unwrap().parse().unwrap();
        (id, r.iter().map(|c| canonical(c.as_deref())).collect())
    })
    .collect()
}

fn driver_rows(conn: &Connection) -> BTreeMap<i64, Vec<Option<String>>> {
    common::query_text(conn, &format!("SELECT {COMPARED} FROM Deals"))
        .into_iter()
        .map(|r| {
            let id = r[0].as_deref().unwrap().parse().unwrap();
            (id, r.iter().map(|c| canonical(c.as_deref())).collect())
        })
        .collect()
}

/// Case `n` of the corpus, picking ids among the rows that exist now (a
/// deleted deal stays in Pipedrive for 30 days and still accepts writes by
/// id, which SQL has no counterpart for).
fn case(n: usize, ids: &[i64], rng: &mut Lcg) -> Case {
    let currencies = ["EUR", "USD", "GBP"];
    let pick = |rng: &mut Lcg| ids[rng.below(ids.len() as u64) as usize];
    {
        let title = format!("diff-{n}");
        let value = format!("{}.5", rng.below(5000));
        let currency = currencies[rng.below(3) as usize];
        let case = match n % 12 {
            0 => Case {
                sql: format!("INSERT INTO Deals (Title, Value, Currency) VALUES ('{title}', {value}, '{currency}')"),
                sets: vec![],
            },
            1 => Case {
                sql: "INSERT INTO Deals (Title, Value, Probability, ExpectedCloseDate) VALUES (?, ?, ?, ?)".into(),
                sets: vec![vec![
                    Some(title),
                    Some(value),
                    Some(rng.below(100).to_string()),
                    Some(format!("2026-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))),
                ]],
            },
            2 => Case {
                sql: format!(
                    "INSERT INTO Deals (Title, Currency, Probability) VALUES ('{title}a', '{currency}', 10), ('{title}b', 'USD', NULL), ('{title}c', 'GBP', 55.5)"
                ),
                sets: vec![],
            },
            3 => Case {
                sql: "INSERT INTO Deals (Title, Value, LostReason) VALUES (?, ?, ?)".into(),
                sets: (0..4)
                    .map(|k| {
                        vec![
                            Some(format!("{title}-{k}")),
                            Some(format!("{}", 10 * k + 1)),
                            if k == 2 { None } else { Some(format!("reason {k}")) },
                        ]
                    })
                    .collect(),
            },
            4 => Case {
                sql: format!("UPDATE Deals SET Value = {value}, Currency = '{currency}' WHERE Id = {}", pick(rng)),
                sets: vec![],
            },
            5 => Case {
                sql: "UPDATE Deals SET Title = ?, Probability = ? WHERE Id IN (?, ?)".into(),
                sets: vec![vec![
                    Some(format!("{title}-renamed")),
                    Some(rng.below(100).to_string()),
                    Some(pick(rng).to_string()),
                    Some(pick(rng).to_string()),
                ]],
            },
            6 => Case {
                sql: format!(
                    "UPDATE Deals SET LostReason = 'cheap {n}' WHERE Value < {} AND Currency = '{currency}'",
                    rng.below(800)
                ),
                sets: vec![],
            },
            7 => Case {
                sql: "UPDATE Deals SET Value = ? WHERE Id = ?".into(),
                sets: (0..3)
                    .map(|k| vec![Some(format!("{}", 1000 + k)), Some(pick(rng).to_string())])
                    .collect(),
            },
            8 => Case {
                sql: format!("DELETE FROM Deals WHERE Id = {}", pick(rng)),
                sets: vec![],
            },
            9 => Case {
                sql: "UPDATE Deals SET LostReason = NULL, ExpectedCloseDate = ? WHERE Title = ?".into(),
                sets: vec![vec![Some("2027-01-01".into()), Some(format!("diff-{}", n - 8))]],
            },
            10 => {
                let first = pick(rng);
                let second = ids.iter().copied().find(|i| *i != first).unwrap_or(first);
                Case {
                    sql: "DELETE FROM Deals WHERE Id = ?".into(),
                    sets: vec![vec![Some(first.to_string())], vec![Some(second.to_string())]],
                }
            }
            _ => Case {
                sql: format!(
                    "DELETE FROM Deals WHERE Probability > {} AND Value > {}",
                    80 + rng.below(20),
                    rng.below(4000)
                ),
                sets: vec![],
            },
        };
        case
    }
}

fn run_sqlite(db: &rusqlite::Connection, case: &Case) -> usize {
    if case.sets.is_empty() {
        return db.execute(&case.sql, []).unwrap();
    }
    let mut stmt = db.prepare(&case.sql).unwrap();
    case.sets
        .iter()
        .map(|set| {
            stmt.execute(rusqlite::params_from_iter(set.iter()))
                .unwrap()
        })
        .sum()
}

fn run_driver(conn: &Connection, case: &Case) -> isize {
    if case.sets.is_empty() {
        let mut pre = conn.preallocate().unwrap();
        pre.execute(&case.sql, ())
            .unwrap_or_else(|e| panic!("{}: {e}", case.sql));
        return pre.row_count().unwrap().unwrap_or(0) as isize;
    }
    let width = case.sets[0].len();
    let columns: Vec<Vec<Option<String>>> = (0..width)
        .map(|c| case.sets.iter().map(|s| s[c].clone()).collect())
        .collect();
    let run = run_array(conn, &case.sql, &columns, None);
    assert!(run.ret == 0, "{}: {run:?}", case.sql);
    run.row_count
}

#[test]
fn a_corpus_of_writes_leaves_the_same_rows_as_sqlite() {
    let sim = start(60);
    let env = Environment::new().unwrap();
    let conn = connect_with(&env, &sim, "");
    let db = rusqlite::Connection::open_in_memory().unwrap();
    // Pipedrive's defaults for a new deal: value 0, the company's currency,
    // owned by the connected user.
    let me = sim.dataset().me();
    let currency = me["default_currency"].as_str().unwrap_or("EUR").to_string();
    db.execute_batch(&format!(
        "CREATE TABLE deals (Id INTEGER PRIMARY KEY, Title TEXT, Value REAL DEFAULT 0, \
         Currency TEXT DEFAULT '{currency}', Probability REAL, LostReason TEXT, \
         ExpectedCloseDate TEXT, OwnerId INTEGER DEFAULT {})",
        me["id"].as_i64().unwrap()
    ))
    .unwrap();
    for row in common::query_text(&conn, &format!("SELECT {COMPARED} FROM Deals")) {
        db.execute(
            "INSERT INTO deals VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rusqlite::params_from_iter(row.iter()),
        )
        .unwrap();
    }
    assert_eq!(
        driver_rows(&conn),
        sqlite_rows(&db),
        "same data to begin with"
    );

    let mut rng = Lcg(20261128);
    let mut statements = 0;
    for n in 0..120 {
        let ids: Vec<i64> = sqlite_rows(&db).keys().copied().collect();
        let case = &case(n, &ids, &mut rng);
        statements += case.sets.len().max(1);
        let before: Vec<u64> = sim
            .dataset()
            .deals()
            .filter_map(|d| d["id"].as_u64())
            .collect();
        let driver_count = run_driver(&conn, case);
        let sqlite_count = run_sqlite(&db, case);
        assert_eq!(
            driver_count as usize, sqlite_count,
            "row count of {}",
            case.sql
        );
        if case.sql.starts_with("INSERT") {
            // Give SQLite's new rows the ids Pipedrive assigned (in order).
            let mut created: Vec<u64> = sim
                .dataset()
                .deals()
                .filter_map(|d| d["id"].as_u64())
                .filter(|id| !before.contains(id))
                .collect();
            created.sort_unstable();
            let mut local: Vec<i64> = db
                .prepare("SELECT Id FROM deals ORDER BY Id DESC LIMIT ?")
                .unwrap()
                .query_map([created.len() as i64], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            local.reverse();
            assert_eq!(local.len(), created.len(), "{}", case.sql);
            for (l, _) in local.iter().zip(&created) {
                db.execute("UPDATE deals SET Id = -Id WHERE Id = ?", [l])
                    .unwrap();
            }
            for (l, c) in local.iter().zip(&created) {
                db.execute(
                    "UPDATE deals SET Id = ? WHERE Id = ?",
                    rusqlite::params![*c as i64, -l],
                )
                .unwrap();
            }
        }
    }
    assert!(statements >= 100, "{statements} statements");
    let driver = driver_rows(&conn);
    let local = sqlite_rows(&db);
    for (id, row) in &local {
        assert_eq!(driver.get(id), Some(row), "deal {id}");
    }
    assert_eq!(driver.len(), local.len());
}

/// A custom field's column name as the issue defines it: non-alphanumeric
/// characters removed, words joined in PascalCase (`Deal Tier` ->
/// `DealTier`). Written here rather than taken from the driver, so that
/// this test binary links none of the driver's ODBC functions (its ODBC
/// calls must reach unixODBC) and checks the rule independently.
fn pascal_case(display_name: &str) -> String {
    display_name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
