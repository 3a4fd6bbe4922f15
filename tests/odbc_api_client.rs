//! The driver through unixODBC with the odbc-api client crate.

mod common;

use common::sql_state;

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, TextRowSet};
use odbc_api::{ConnectionOptions, Cursor, Environment, IntoParameter, ResultSetMetadata};
use std::collections::HashSet;

fn env() -> Environment {
    Environment::new().expect("ODBC environment")
}

#[test]
fn select_without_from_constants_escapes_and_parameters() {
    let sim = common::start_sim(50);
    let env = env();
    let conn = common::connect(&env, &sim);
    let mut cursor = conn
        .execute(
            "SELECT 1 AS one, {fn UCASE('abc')} AS up, {d '2026-01-15'} AS day, ? AS p",
            &"x😀".into_parameter(),
            None,
        )
        .unwrap()
        .unwrap();
    assert_eq!(cursor.num_result_cols().unwrap(), 4);
    let mut buffer = TextRowSet::for_cursor(10, &mut cursor, Some(64)).unwrap();
    let mut rows = cursor.bind_buffer(&mut buffer).unwrap();
    let batch = rows.fetch().unwrap().unwrap();
    assert_eq!(batch.num_rows(), 1);
    assert_eq!(batch.at_as_str(0, 0).unwrap(), Some("1"));
    assert_eq!(batch.at_as_str(1, 0).unwrap(), Some("ABC"));
    assert_eq!(batch.at_as_str(2, 0).unwrap(), Some("2026-01-15"));
    assert_eq!(batch.at_as_str(3, 0).unwrap(), Some("x😀"));
}

#[test]
fn full_scan_of_100k_deals_returns_every_row_once() {
    let sim = common::start_sim(100_000);
    let expected: HashSet<i64> = common::listed_deal_ids(&sim).into_iter().collect();
    let env = env();
    let conn = common::connect(&env, &sim);
    let cursor = conn
        .execute("SELECT Id, Title FROM Deals", (), None)
        .unwrap()
        .unwrap();
    let descs = [
        BufferDesc::I64 { nullable: false },
        BufferDesc::WText { max_str_len: 300 },
    ];
    let buffer = ColumnarDynBuffer::from_descs(1000, descs);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut seen = HashSet::new();
    let mut count = 0usize;
    while let Some(batch) = block.fetch().unwrap() {
        let ids = batch.column(0).as_slice::<i64>().unwrap();
        for id in ids {
            assert!(seen.insert(*id), "deal {id} returned twice");
            count += 1;
        }
    }
    assert_eq!(count, expected.len());
    assert_eq!(seen, expected);
}

#[test]
fn errors_carry_the_right_sqlstate_and_name_the_culprit() {
    let sim = common::start_sim(10);
    let env = env();
    let conn = common::connect(&env, &sim);
    for (sql, state, culprit) in [
        ("SELECT * FROM NoSuchTable", "42S02", "NoSuchTable"),
        ("SELECT NoSuchColumn FROM Deals", "42S22", "NoSuchColumn"),
        ("SELEC Id FROM Deals", "42000", "SELEC"),
    ] {
        let err = conn
            .execute(sql, (), None)
            .err()
            .unwrap_or_else(|| panic!("{sql} should fail"));
        assert_eq!(sql_state(&err), state, "{sql}: {err}");
        assert!(err.to_string().contains(culprit), "{sql}: {err}");
    }
}

#[test]
fn bad_token_is_28000_with_pipedrives_message_and_never_echoes_the_token() {
    let sim = common::start_sim(10);
    let env = env();
    let wrong = "wrong-token-5a5a5a5a";
    let conn_str = common::connection_string(&sim).replace(common::TOKEN, wrong);
    let err = env
        .connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .err()
        .expect("connect fails");
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(err.to_string().contains("unauthorized access"), "{err}");
    assert!(!err.to_string().contains(wrong));
}

#[test]
fn unreachable_host_is_08001_within_the_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let env = env();
    let conn_str = format!(
        "Driver={};APIToken=t;CompanyDomain=demo;APIBaseURL=http://127.0.0.1:{port};Timeout=5",
        common::driver_path().display()
    );
    let started = std::time::Instant::now();
    let err = env
        .connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .err()
        .expect("connect fails");
    assert_eq!(sql_state(&err), "08001", "{err}");
    assert!(started.elapsed().as_secs() <= 6);
}

#[test]
fn catalog_agrees_with_describe_of_select_star() {
    let sim = common::start_sim(10);
    let env = env();
    let conn = common::connect(&env, &sim);
    let mut catalog: Vec<(String, i16)> = Vec::new();
    for row in conn.columns("", "", "Deals", "").unwrap() {
        let row = row.unwrap();
        catalog.push((
            row.column_name.as_str().unwrap().unwrap().to_string(),
            row.data_type,
        ));
    }
    let mut cursor = conn
        .execute("SELECT * FROM Deals", (), None)
        .unwrap()
        .unwrap();
    let n = cursor.num_result_cols().unwrap() as u16;
    assert_eq!(usize::from(n), catalog.len());
    for i in 1..=n {
        let name = cursor.col_name(i).unwrap();
        let data_type = cursor.col_data_type(i).unwrap();
        assert_eq!(name, catalog[usize::from(i) - 1].0);
        assert_eq!(
            data_type.data_type().0,
            catalog[usize::from(i) - 1].1,
            "{name}"
        );
    }
}

#[test]
fn where_order_and_limit_match_a_local_evaluation() {
    let sim = common::start_sim(2000);
    let mut expected: Vec<(i64, f64)> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"].as_str() == Some("open"))
        .filter_map(|d| Some((d["id"].as_i64()?, d["value"].as_f64()?)))
        .filter(|(_, v)| *v > 1000.0)
        .collect();
    expected.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    expected.truncate(7);
    let env = env();
    let conn = common::connect(&env, &sim);
    let cursor = conn.execute("SELECT Id, Value FROM Deals WHERE Status = 'open' AND Value > 1000 ORDER BY Value DESC, Id LIMIT 7", (), None).unwrap().unwrap();
    let buffer = ColumnarDynBuffer::from_descs(
        100,
        [
            BufferDesc::I64 { nullable: false },
            BufferDesc::F64 { nullable: true },
        ],
    );
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let batch = block.fetch().unwrap().unwrap();
    let ids = batch.column(0).as_slice::<i64>().unwrap().to_vec();
    assert_eq!(ids, expected.iter().map(|e| e.0).collect::<Vec<_>>());
}

#[test]
fn rows_reach_the_application_before_later_pages_are_requested() {
    let sim = common::start_sim(5000);
    let env = env();
    let conn = common::connect(&env, &sim);
    sim.reset_stats();
    let mut cursor = conn
        .execute("SELECT Id FROM Deals", (), None)
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().unwrap();
    let mut id: i64 = 0;
    row.get_data(1, &mut id).unwrap();
    assert_eq!(id, common::listed_deal_ids(&sim)[0]);
    assert_eq!(
        sim.stats().endpoint("GET /api/v2/deals").requests,
        1,
        "only the first page is fetched before the first row"
    );
    drop(cursor);

    // LIMIT 5 asks for 5 rows in one request; `Id = k` is one get-by-id.
    sim.reset_stats();
    let mut cursor = conn
        .execute("SELECT Id FROM Deals LIMIT 5", (), None)
        .unwrap()
        .unwrap();
    let mut n = 0;
    while cursor.next_row().unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, 5);
    let stats = sim.stats();
    assert_eq!(stats.endpoint("GET /api/v2/deals").requests, 1);
    assert_eq!(stats.endpoint("GET /api/v2/deals").rows, 5);
    drop(cursor);
    sim.reset_stats();
    let cursor = conn
        .execute("SELECT Title FROM Deals WHERE Id = 42", (), None)
        .unwrap()
        .unwrap();
    drop(cursor);
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals/{id}").requests, 1);
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").requests, 0);
}

#[test]
fn the_log_at_verbosity_5_never_contains_the_token() {
    let sim = common::start_sim(600);
    let dir = std::env::temp_dir().join(format!("pipedrive-odbc-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("driver.log");
    let env = env();
    let conn_str = format!(
        "{};Logfile={};Verbosity=5",
        common::connection_string(&sim),
        log.display()
    );
    let conn = env
        .connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .unwrap();
    let mut cursor = conn
        .execute("SELECT Id, Title FROM Deals WHERE OwnerId = 1", (), None)
        .unwrap()
        .unwrap();
    while cursor.next_row().unwrap().is_some() {}
    drop(cursor);
    assert!(conn.execute("SELECT Nope FROM Deals", (), None).is_err());
    drop(conn);
    // A failed login is logged too, with neither token in it.
    let wrong = "wrong-token-for-the-log-3c3c";
    let bad = conn_str.replace(common::TOKEN, wrong);
    assert!(env
        .connect_with_connection_string(&bad, ConnectionOptions::default())
        .is_err());

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("prepare: SELECT Id, Title FROM Deals WHERE OwnerId = 1"),
        "{text}"
    );
    assert!(text.contains("GET /api/v2/deals"), "{text}");
    assert!(
        text.contains("owner_id"),
        "pushed filter at verbosity 4+: {text}"
    );
    assert!(text.contains("42S22"), "{text}");
    assert!(text.contains("28000"), "{text}");
    assert!(
        !text.contains(common::TOKEN),
        "the token leaked into the log"
    );
    assert!(
        !text.contains(wrong),
        "the rejected token leaked into the log"
    );
    std::fs::remove_dir_all(&dir).ok();
}
