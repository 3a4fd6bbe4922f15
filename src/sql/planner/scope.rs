//! The relations of a FROM clause (API tables, system tables, derived
//! tables) laid side by side in one row, and how column names resolve
//! against them.

use crate::diag::{OdbcError, Result, SqlState};
use crate::model::TableDef;
use crate::sql::expr::{ColumnRef, Scope};
use crate::sql::plan::QueryPlan;
use crate::sql::system_tables::SystemTable;
use crate::types::DataType;
use std::sync::Arc;

/// Where a relation's rows come from.
#[derive(Debug)]
pub enum RelationSource {
    Api(Arc<TableDef>),
    System(SystemTable),
    /// `(SELECT ...) AS name`
    Derived(QueryPlan),
}

#[derive(Debug, Clone)]
pub struct RelationColumn {
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
    /// SQL_DESC_BASE_TABLE_NAME / BASE_COLUMN_NAME of a bare reference.
    pub base_table: String,
    pub base_column: String,
}

#[derive(Debug)]
pub struct Relation {
    /// The table's name ("" for a derived table).
    pub table_name: String,
    pub alias: Option<String>,
    pub columns: Vec<RelationColumn>,
    /// Position of the first column in the joined row.
    pub offset: usize,
    /// The right side of a LEFT JOIN: NULL in rows without a match.
    pub null_supplied: bool,
    pub source: RelationSource,
}

impl Relation {
    /// The name the query knows the relation by.
    pub fn label(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.table_name)
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn api_table(&self) -> Option<&Arc<TableDef>> {
        match &self.source {
            RelationSource::Api(t) => Some(t),
            _ => None,
        }
    }
}

/// Resolves names against some of the relations.
pub struct FromScope<'r> {
    relations: &'r [Relation],
    /// The relations names may refer to.
    first: usize,
    last_exclusive: usize,
    /// Positions relative to the first visible relation (one relation's own
    /// rows) rather than in the joined row.
    local: bool,
}

impl<'r> FromScope<'r> {
    /// Every relation, positions in the joined row.
    pub fn all(relations: &'r [Relation]) -> FromScope<'r> {
        FromScope {
            relations,
            first: 0,
            last_exclusive: relations.len(),
            local: false,
        }
    }

    /// Relations `0..=last` (what an ON clause may name), positions in the
    /// joined row.
    pub fn prefix(relations: &'r [Relation], last: usize) -> FromScope<'r> {
        FromScope {
            relations,
            first: 0,
            last_exclusive: (last + 1).min(relations.len()),
            local: false,
        }
    }

    /// One relation, positions in its own rows.
    pub fn only(relations: &'r [Relation], index: usize) -> FromScope<'r> {
        FromScope {
            relations,
            first: index,
            last_exclusive: (index + 1).min(relations.len()),
            local: true,
        }
    }

    fn visible(&self) -> &'r [Relation] {
        &self.relations[self.first..self.last_exclusive]
    }

    /// The relation owning a position of the joined row.
    pub fn relation_of(relations: &[Relation], position: usize) -> Option<usize> {
        relations
            .iter()
            .position(|r| (r.offset..r.offset + r.width()).contains(&position))
    }

    /// `label.column` for a position of the joined row, for messages.
    pub fn describe(relations: &[Relation], position: usize) -> String {
        match Self::relation_of(relations, position) {
            Some(r) => {
                let relation = &relations[r];
                let column = &relation.columns[position - relation.offset].name;
                if relation.label().is_empty() {
                    column.clone()
                } else {
                    format!("{}.{}", relation.label(), column)
                }
            }
            None => format!("#{position}"),
        }
    }
}

fn not_found(message: String) -> OdbcError {
    OdbcError::new(SqlState::ColumnNotFound, message)
}

impl Scope for FromScope<'_> {
    fn resolve_column(&self, qualifier: Option<&str>, name: &str) -> Result<ColumnRef> {
        let visible = self.visible();
        if self.relations.is_empty() {
            return Err(not_found(format!(
                "Column '{name}' not found: the query has no FROM clause"
            )));
        }
        let candidates: Vec<&Relation> = match qualifier {
            None => visible.iter().collect(),
            Some(q) => {
                // An alias hides the table's name, but a name no alias
                // claims still finds its table.
                let by_alias: Vec<&Relation> = visible
                    .iter()
                    .filter(|r| {
                        r.alias
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case(q))
                    })
                    .collect();
                if by_alias.is_empty() {
                    visible
                        .iter()
                        .filter(|r| r.table_name.eq_ignore_ascii_case(q))
                        .collect()
                } else {
                    by_alias
                }
            }
        };
        if let (Some(q), true) = (qualifier, candidates.is_empty()) {
            return Err(not_found(format!(
                "Column '{q}.{name}' not found: '{q}' is not a table in the FROM clause"
            )));
        }
        let mut found: Option<(&Relation, usize)> = None;
        for relation in candidates.iter().copied() {
            if let Some(index) = relation.column_index(name) {
                if found.is_some() {
                    let shown = qualifier.map_or(name.to_string(), |q| format!("{q}.{name}"));
                    return Err(OdbcError::syntax(format!(
                        "Column name '{shown}' is ambiguous: qualify it with a table name or alias"
                    )));
                }
                found = Some((relation, index));
            }
        }
        let Some((relation, index)) = found else {
            return Err(match (qualifier, candidates.as_slice()) {
                (None, [single]) | (Some(_), [single]) if !single.table_name.is_empty() => {
                    not_found(format!(
                        "Column '{name}' not found in table {}",
                        single.table_name
                    ))
                }
                (Some(q), _) => not_found(format!("Column '{q}.{name}' not found")),
                (None, _) => not_found(format!(
                    "Column '{name}' not found in the tables of the FROM clause"
                )),
            });
        };
        let column = &relation.columns[index];
        let local_base = if self.local { relation.offset } else { 0 };
        Ok(ColumnRef {
            index: relation.offset - local_base + index,
            data_type: column.data_type,
            nullable: column.nullable || (relation.null_supplied && !self.local),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(name: &str, alias: Option<&str>, columns: &[&str], offset: usize) -> Relation {
        Relation {
            table_name: name.into(),
            alias: alias.map(str::to_string),
            columns: columns
                .iter()
                .map(|c| RelationColumn {
                    name: c.to_string(),
                    data_type: DataType::Integer,
                    nullable: false,
                    base_table: name.into(),
                    base_column: c.to_string(),
                })
                .collect(),
            offset,
            null_supplied: offset > 0,
            source: RelationSource::System(SystemTable::Tables),
        }
    }

    #[test]
    fn names_resolve_by_alias_table_and_position() {
        let relations = vec![
            relation("Deals", Some("d"), &["Id", "PersonId"], 0),
            relation("Persons", Some("p"), &["Id", "Name"], 2),
        ];
        let all = FromScope::all(&relations);
        assert_eq!(all.resolve_column(Some("p"), "id").unwrap().index, 2);
        assert_eq!(all.resolve_column(None, "Name").unwrap().index, 3);
        assert_eq!(
            all.resolve_column(Some("Deals"), "PersonId").unwrap().index,
            1
        );
        // The LEFT JOIN side is nullable in the joined row only.
        assert!(all.resolve_column(None, "Name").unwrap().nullable);
        let only = FromScope::only(&relations, 1);
        assert_eq!(only.resolve_column(Some("p"), "Name").unwrap().index, 1);
        assert!(!only.resolve_column(None, "Name").unwrap().nullable);

        let ambiguous = all.resolve_column(None, "Id").unwrap_err();
        assert_eq!(ambiguous.state, SqlState::SyntaxError);
        assert!(
            ambiguous.message.contains("ambiguous"),
            "{}",
            ambiguous.message
        );
        let unknown = all.resolve_column(Some("x"), "Id").unwrap_err();
        assert_eq!(unknown.state, SqlState::ColumnNotFound);
        let missing = all.resolve_column(None, "Nope").unwrap_err();
        assert!(missing.message.contains("Nope"));
        // A prefix does not see later tables.
        let prefix = FromScope::prefix(&relations, 0);
        assert_eq!(prefix.resolve_column(None, "Id").unwrap().index, 0);
        assert!(prefix.resolve_column(None, "Name").is_err());
        assert_eq!(FromScope::describe(&relations, 3), "p.Name");
    }
}
