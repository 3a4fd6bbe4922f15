//! Row-wise block cursors and SQLGetData in small pieces, through unixODBC.

mod common;

use odbc_api::buffers::RowVec;
use odbc_api::parameter::VarCharArray;
use odbc_api::{Cursor, Environment};

/// A deal title with characters outside the Basic Multilingual Plane.
fn astral_title(sim: &pipedrive_sim::Simulator) -> (i64, String) {
    sim.dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted"))
        .find_map(|d| {
            let title = d["title"].as_str()?.to_string();
            title
                .chars()
                .any(|c| c as u32 > 0xFFFF)
                .then(|| (d["id"].as_i64().unwrap_or(0), title))
        })
        .expect("the simulator has titles with astral characters")
}

#[test]
fn row_wise_binding_returns_the_same_rows_as_the_api() {
    let sim = common::start_sim(1234);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let cursor = conn
        .execute("SELECT Id, Currency, Value FROM Deals", (), None)
        .unwrap()
        .unwrap();
    let buffer = RowVec::<(i64, VarCharArray<8>, f64)>::new(100);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut got = Vec::new();
    while let Some(batch) = block.fetch().unwrap() {
        for (id, currency, value) in batch.iter() {
            got.push((
                *id,
                currency.as_str().unwrap().unwrap_or_default().to_string(),
                *value,
            ));
        }
    }
    let expected: Vec<(i64, String, f64)> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted"))
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["currency"].as_str().unwrap_or_default().to_string(),
                d["value"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
}

#[test]
fn get_data_in_pieces_reassembles_non_ascii_and_surrogate_pairs() {
    let sim = common::start_sim(300);
    let (id, title) = astral_title(&sim);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    for capacity in [2usize, 3, 5, 7] {
        let mut cursor = conn
            .execute(
                &format!("SELECT Id, Title FROM Deals WHERE Id = {id}"),
                (),
                None,
            )
            .unwrap()
            .unwrap();
        let mut row = cursor.next_row().unwrap().unwrap();
        let mut narrow = Vec::with_capacity(capacity);
        assert!(row.get_text(2, &mut narrow).unwrap());
        assert_eq!(
            String::from_utf8(narrow).unwrap(),
            title,
            "UTF-8 in {capacity}-byte pieces"
        );
        drop(row);
        drop(cursor);

        let mut cursor = conn
            .execute(
                &format!("SELECT Title FROM Deals WHERE Id = {id}"),
                (),
                None,
            )
            .unwrap()
            .unwrap();
        let mut row = cursor.next_row().unwrap().unwrap();
        let mut wide = Vec::with_capacity(capacity);
        assert!(row.get_wide_text(1, &mut wide).unwrap());
        assert_eq!(
            String::from_utf16(&wide).unwrap(),
            title,
            "UTF-16 in {capacity}-unit pieces"
        );
    }
}
