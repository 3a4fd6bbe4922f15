//! Connecting through a DSN (SQLConnect and `DSN=` in SQLDriverConnect),
//! and the API token staying out of everything the driver hands back.
//!
//! unixODBC reads ODBCINI / ODBCSYSINI once per process, so this file holds
//! one test that sets them before the first environment is created.

mod common;

use odbc_api::handles::OutputStringBuffer;
use odbc_api::{ConnectionOptions, Cursor, DriverCompleteOption, Environment};
use std::io::Write;

fn write_file(path: &std::path::Path, text: &str) {
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn diagnostics(err: &odbc_api::Error) -> String {
    format!("{err} {err:?}")
}

#[test]
fn dsn_connections_work_and_never_reveal_the_token() {
    let sim = common::start_sim(20);
    let dir = std::env::temp_dir().join(format!("pipedrive-odbc-dsn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    write_file(
        &dir.join("odbcinst.ini"),
        &format!(
            "[Pipedrive Test Driver]\nDriver={}\n",
            common::driver_path().display()
        ),
    );
    let wrong_token = "wrong-token-0f0f0f0f0f";
    write_file(
        &dir.join("odbc.ini"),
        &format!(
            "[PipedriveGood]\nDriver=Pipedrive Test Driver\nAPIToken={token}\nCompanyDomain=demo\nAPIBaseURL={url}\n\n\
             [PipedriveBadToken]\nDriver=Pipedrive Test Driver\nAPIToken={wrong_token}\nCompanyDomain=demo\nAPIBaseURL={url}\n",
            token = common::TOKEN,
            url = sim.base_url()
        ),
    );
    std::env::set_var("ODBCSYSINI", &dir);
    std::env::set_var("ODBCINI", dir.join("odbc.ini"));
    let env = Environment::new().unwrap();

    // SQLConnect with the DSN name.
    let conn = env
        .connect("PipedriveGood", "", "", ConnectionOptions::default())
        .unwrap();
    let mut cursor = conn
        .execute("SELECT Id, Title FROM Deals LIMIT 5", (), None)
        .unwrap()
        .unwrap();
    let mut ids = Vec::new();
    while let Some(mut row) = cursor.next_row().unwrap() {
        let mut id: i64 = 0;
        row.get_data(1, &mut id).unwrap();
        ids.push(id);
    }
    let mut expected = common::listed_deal_ids(&sim);
    expected.truncate(5);
    assert_eq!(ids, expected);

    // An error on that connection does not show the token either.
    let err = conn
        .execute("SELECT Nope FROM Deals", (), None)
        .err()
        .unwrap();
    assert!(!diagnostics(&err).contains(common::TOKEN));
    drop(cursor);
    drop(conn);

    // SQLDriverConnect with DSN=: the completed string must not carry the
    // token the application never passed.
    let mut completed = OutputStringBuffer::with_buffer_size(1024);
    let conn = env
        .driver_connect(
            "DSN=PipedriveGood;Timeout=30",
            &mut completed,
            DriverCompleteOption::NoPrompt,
        )
        .unwrap();
    let text = completed.to_utf8();
    assert!(text.starts_with("DSN=PipedriveGood"), "{text}");
    assert!(text.contains("Timeout=30"), "{text}");
    assert!(!text.contains(common::TOKEN), "{text}");
    drop(conn);

    // A token the application did pass comes back to it.
    let mut completed = OutputStringBuffer::with_buffer_size(1024);
    let given = format!("DSN=PipedriveGood;APIToken={}", common::TOKEN);
    let conn = env
        .driver_connect(&given, &mut completed, DriverCompleteOption::NoPrompt)
        .unwrap();
    assert!(completed.to_utf8().contains(common::TOKEN));
    drop(conn);

    // A rejected token from the DSN: 28000, and neither token is shown.
    let err = env
        .connect("PipedriveBadToken", "", "", ConnectionOptions::default())
        .err()
        .unwrap();
    let text = diagnostics(&err);
    assert!(text.contains("28000"), "{text}");
    assert!(
        !text.contains(wrong_token) && !text.contains(common::TOKEN),
        "{text}"
    );

    // An unknown key is accepted with a 01S00 warning naming the key.
    let conn_str = format!(
        "{};NoSuchKey=secret-value-77",
        common::connection_string(&sim)
    );
    let mut completed = OutputStringBuffer::with_buffer_size(1024);
    let conn = env
        .driver_connect(&conn_str, &mut completed, DriverCompleteOption::NoPrompt)
        .unwrap();
    drop(conn);
    std::fs::remove_dir_all(&dir).ok();
}
