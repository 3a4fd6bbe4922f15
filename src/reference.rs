//! The reference documentation generated from the code itself: the table
//! reference from the data model and the connection properties from the
//! property table. `tests/docs_current.rs` fails when docs/ is stale.

use crate::config::{properties, PropertyDefault, ValueKind};
use crate::model::{PushOp, Schema, Source, TableDef};
use std::fmt::Write;

fn pushdown_text(table: &TableDef, column: &str) -> String {
    let mut parts: Vec<String> = table
        .pushdown_for(column)
        .map(|p| match p.op {
            PushOp::Eq => format!("`=` as `{}`", p.param),
            PushOp::EqList { max } => format!("`=`/`IN` (up to {max}) as `{}`", p.param),
            PushOp::AtLeast => format!("`>=` as `{}`", p.param),
            PushOp::Below => format!("`<` as `{}`", p.param),
        })
        .collect();
    if table
        .primary_key
        .as_deref()
        .is_some_and(|pk| pk.eq_ignore_ascii_case(column))
        && table.endpoint.get_by_id
    {
        parts.insert(0, "`=` as one get-by-id request".to_string());
    }
    if let Some(key) = table.sort_key_for(column) {
        parts.push(format!("ORDER BY as `sort_by={key}`"));
    }
    parts.join("; ")
}

fn source_text(source: &Source) -> String {
    match source {
        Source::Path(p) => format!("`{}`", p.join(".")),
        Source::JoinedArray(k) => format!("`{k}` (joined with commas)"),
        Source::PrimaryValue(k) => format!("primary `{k}` value"),
        Source::ArrayLength(k) => format!("number of `{k}`"),
        Source::Custom { key, .. } => format!("custom field `{key}`"),
        Source::Element(p) => format!("element `{}`", p.join(".")),
        Source::EntryKey => "entry key".to_string(),
        Source::Input(param) => format!("request parameter `{param}`"),
        Source::SiblingEntry(p) => format!("entry of the row's key in `{}`", p.join(".")),
    }
}

/// docs/tables.md: every built-in table with its columns, types, keys and
/// what is pushed to the API.
/// Which statements a table takes, and through which endpoints.
fn writable_text(table: &TableDef) -> String {
    let Some(spec) = crate::model::writable::write_spec(&table.name) else {
        return "no (read-only)".to_string();
    };
    let prefix = spec.version.prefix();
    let mut parts = Vec::new();
    if spec.create.is_some() {
        parts.push(format!("INSERT (`POST {prefix}/{}`)", spec.path));
    }
    if let Some((method, _)) = spec.update {
        parts.push(format!(
            "UPDATE (`{} {prefix}/{}/{{id}}`)",
            method.http_name(),
            spec.path
        ));
    }
    if spec.delete {
        parts.push(format!("DELETE (`DELETE {prefix}/{}/{{id}}`)", spec.path));
    }
    parts.join(", ")
}

/// A column's write rule: "insert, update, required", or "read-only".
fn column_write_text(table: &TableDef, column: &crate::model::ColumnDef) -> String {
    match crate::model::writable::column_write(table, column) {
        None => "read-only".to_string(),
        Some(w) => {
            let mut parts = Vec::new();
            if w.insertable {
                parts.push("insert");
            }
            if w.updatable {
                parts.push("update");
            }
            if w.required {
                parts.push("required");
            }
            parts.join(", ")
        }
    }
}

pub fn tables_markdown() -> String {
    let schema = Schema::builtin();
    let mut out = String::new();
    let _ = writeln!(out, "# Tables\n");
    let _ = writeln!(out, "Generated from the driver's data model (`src/model/`); do not edit by hand. Regenerate with `UPDATE_DOCS=1 cargo test --release --test docs_current`.\n");
    let _ = writeln!(out, "Custom fields add columns to Deals, Persons, Organizations, Products, Projects and Leads on each connection (named from the field's display name in PascalCase; see the README). They are not listed here because they differ per company.\n");
    let _ = writeln!(
        out,
        "| Table | Kind | Endpoint | Description |\n|---|---|---|---|"
    );
    for t in schema.tables() {
        let _ = writeln!(
            out,
            "| [{0}](#{1}) | {2} | `{3}/{4}` | {5} |",
            t.name,
            t.name.to_lowercase(),
            t.kind.odbc_name(),
            t.endpoint.version.prefix(),
            t.endpoint.path,
            t.description
        );
    }
    for t in schema.tables() {
        let _ = writeln!(out, "\n## {}\n", t.name);
        let _ = writeln!(out, "{}\n", t.description);
        let _ = writeln!(
            out,
            "- Endpoint: `GET {}/{}`",
            t.endpoint.version.prefix(),
            t.endpoint.path
        );
        if let Some(parent) = &t.parent {
            let _ = writeln!(
                out,
                "- Child of `{0}`: `{1} = k`, `{1} IN (...)` or `{1} IN (subquery)` fetches those parents' rows ({2}); a join on `{1}` fetches the joined parents' rows; otherwise every `{0}` id is listed first and its rows fetched",
                parent.table,
                parent.column,
                match parent.param {
                    crate::model::ParentParam::QueryList { max, .. } =>
                        format!("up to {max} parents a request"),
                    _ => "one request per parent".to_string(),
                }
            );
        }
        for (param, default) in &t.input_defaults {
            let _ = writeln!(
                out,
                "- Parameter `{param}`: from the WHERE clause, else {}",
                match default {
                    crate::model::InputDefault::Text(v) => format!("`{v}`"),
                    other => other.describe(),
                }
            );
        }
        if let Some(pk) = &t.primary_key {
            let _ = writeln!(out, "- Primary key: `{pk}`");
        }
        for fk in &t.foreign_keys {
            let _ = writeln!(
                out,
                "- Foreign key: `{}` references `{}.{}`",
                fk.column, fk.ref_table, fk.ref_column
            );
        }
        let _ = writeln!(out, "- Writable: {}\n", writable_text(t));
        let _ = writeln!(out, "| Column | Type | Nullable | API source | Pushed down | Write | Description |\n|---|---|---|---|---|---|---|");
        for c in &t.columns {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                c.name,
                c.data_type.type_name(),
                if c.nullable { "yes" } else { "no" },
                source_text(&c.source),
                pushdown_text(t, &c.name),
                column_write_text(t, c),
                c.description.replace('|', "\\|")
            );
        }
    }
    out
}

/// docs/connection-properties.md: every connection property with its
/// default.
pub fn properties_markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Connection properties\n");
    let _ = writeln!(out, "Generated from the driver's property table (`src/config/properties.rs`); do not edit by hand. Regenerate with `UPDATE_DOCS=1 cargo test --release --test docs_current`.\n");
    let _ = writeln!(out, "Keys are case-insensitive. In a connection string, keys override the same keys of the DSN; a repeated key keeps its first value, as SQLDriverConnect specifies.\n");
    let _ = writeln!(out, "| Property | Aliases | Default | Values | Secret | Description |\n|---|---|---|---|---|---|");
    for p in properties() {
        let default = match p.default {
            PropertyDefault::None => "(none)".to_string(),
            PropertyDefault::Value(v) => format!("`{v}`"),
            PropertyDefault::Derived(how) => how.to_string(),
        };
        let values = match p.kind {
            ValueKind::Text => "text".to_string(),
            ValueKind::Bool => "true / false".to_string(),
            ValueKind::Integer { min, max } if max == i64::MAX => format!("integer >= {min}"),
            ValueKind::Integer { min, max } => format!("integer {min}..{max}"),
            ValueKind::Choice(options) => options.join(", "),
            ValueKind::Url => "URL (https, or http to a loopback host)".to_string(),
            ValueKind::Path => "file path".to_string(),
        };
        let aliases = if p.aliases.is_empty() {
            String::new()
        } else {
            p.aliases.join(", ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            p.name,
            aliases,
            default,
            values,
            if p.secret { "yes" } else { "no" },
            p.description.replace('|', "\\|")
        );
    }
    out
}
