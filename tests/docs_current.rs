//! docs/ holds references generated from the code: this test fails when
//! they are stale (a table, column or connection property added without
//! regenerating them). `UPDATE_DOCS=1` rewrites them instead.

use std::path::PathBuf;

fn check(file: &str, generated: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(file);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "{} is stale: run `UPDATE_DOCS=1 cargo test --release --test docs_current` and commit it",
        path.display()
    );
}

#[test]
fn table_reference_is_current() {
    check("tables.md", pipedrive_odbc::reference::tables_markdown());
}

#[test]
fn connection_property_reference_is_current() {
    let text = pipedrive_odbc::reference::properties_markdown();
    for p in pipedrive_odbc::config::properties() {
        assert!(
            text.contains(&format!("`{}`", p.name)),
            "{} is undocumented",
            p.name
        );
    }
    check("connection-properties.md", text);
}
