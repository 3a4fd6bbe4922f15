//! A compact way to declare tables: one chained call per column, key,
//! pushdown rule and sort key.

use crate::model::*;
use crate::types::DataType::{self, *};

pub(super) const TEXT: DataType = WVarchar(255);
pub(super) const LONG_TEXT: DataType = WLongVarchar;
pub(super) const CURSOR_500: Paging = Paging::Cursor { max_limit: 500 };

/// A compact way to declare a table's columns.
pub(super) struct TableBuilder {
    pub(super) def: TableDef,
}

impl TableBuilder {
    pub(super) fn new(
        name: &str,
        kind: TableKind,
        version: ApiVersion,
        path: &'static str,
        paging: Paging,
        description: &str,
    ) -> Self {
        TableBuilder {
            def: TableDef {
                name: name.to_string(),
                kind,
                description: description.to_string(),
                endpoint: Endpoint {
                    version,
                    path,
                    paging,
                    get_by_id: false,
                    records: RecordsAt::DataArray,
                },
                columns: Vec::new(),
                primary_key: None,
                foreign_keys: Vec::new(),
                pushdown: Vec::new(),
                fixed_params: Vec::new(),
                custom_fields: None,
                sortable: Vec::new(),
                row_shape: RowShape::PerRecord,
                parent: None,
                input_defaults: Vec::new(),
            },
        }
    }

    /// The record's `id`, the primary key, fetched alone with `GET path/{id}`.
    pub(super) fn id(mut self, data_type: DataType) -> Self {
        self.def.endpoint.get_by_id = true;
        self.def.primary_key = Some("Id".into());
        self.column_named(
            "Id",
            Source::field("id"),
            data_type,
            false,
            "Unique identifier",
        )
    }

    pub(super) fn col(self, api_name: &str, data_type: DataType, description: &str) -> Self {
        self.column_named(
            &pascal_case(api_name),
            Source::field(api_name),
            data_type,
            true,
            description,
        )
    }

    pub(super) fn required(
        mut self,
        api_name: &str,
        data_type: DataType,
        description: &str,
    ) -> Self {
        self = self.col(api_name, data_type, description);
        if let Some(last) = self.def.columns.last_mut() {
            last.nullable = false;
        }
        self
    }

    pub(super) fn nested(
        self,
        name: &str,
        path: &[&str],
        data_type: DataType,
        description: &str,
    ) -> Self {
        let path = path.iter().map(|s| s.to_string()).collect();
        self.column_named(name, Source::Path(path), data_type, true, description)
    }

    pub(super) fn column_named(
        mut self,
        name: &str,
        source: Source,
        data_type: DataType,
        nullable: bool,
        description: &str,
    ) -> Self {
        self.def.columns.push(ColumnDef {
            name: name.to_string(),
            source,
            data_type,
            nullable,
            description: description.to_string(),
        });
        self
    }

    pub(super) fn fk(mut self, column: &str, ref_table: &str) -> Self {
        self.def.foreign_keys.push(ForeignKey {
            column: column.into(),
            ref_table: ref_table.into(),
            ref_column: "Id".into(),
        });
        self
    }

    pub(super) fn push(mut self, column: &'static str, param: &'static str, op: PushOp) -> Self {
        self.def.pushdown.push(PushdownFilter { column, param, op });
        self
    }

    /// `sort_by` values of the list endpoint, as (column, API name).
    pub(super) fn sortable(mut self, keys: &[(&'static str, &'static str)]) -> Self {
        self.def.sortable.extend_from_slice(keys);
        self
    }

    /// The v2 default: `sort_by` id, update_time or add_time.
    pub(super) fn v2_sorts(self) -> Self {
        self.sortable(&[
            ("Id", "id"),
            ("UpdateTime", "update_time"),
            ("AddTime", "add_time"),
        ])
    }

    /// `updated_since` (>=) and `updated_until` (<) on UpdateTime, which every
    /// v2 entity list accepts.
    pub(super) fn update_time_range(self) -> Self {
        self.push("UpdateTime", "updated_since", PushOp::AtLeast)
            .push("UpdateTime", "updated_until", PushOp::Below)
    }

    /// Custom fields of this entity come from the given v2 `*Fields` list
    /// and sit in the records' `custom_fields` object.
    pub(super) fn custom_fields(self, path: &'static str) -> Self {
        self.custom_fields_at(path, CustomRoot::CustomFieldsObject)
    }

    /// Custom fields defined by a v2 `*Fields` list, stored at `root`
    /// (v1 records keep them at the top level).
    pub(super) fn custom_fields_at(mut self, path: &'static str, root: CustomRoot) -> Self {
        let endpoint = Endpoint {
            version: ApiVersion::V2,
            path,
            paging: CURSOR_500,
            get_by_id: false,
            records: RecordsAt::DataArray,
        };
        self.def.custom_fields = Some((endpoint, root));
        self
    }

    /// Records sit elsewhere than in a `data` list.
    pub(super) fn records_at(mut self, at: RecordsAt) -> Self {
        self.def.endpoint.records = at;
        self
    }

    /// Rows come from an array or map inside each record.
    pub(super) fn rows(mut self, shape: RowShape) -> Self {
        self.def.row_shape = shape;
        self
    }

    /// A column read from the array element or map value of the row.
    pub(super) fn element(
        self,
        name: &str,
        path: &[&str],
        data_type: DataType,
        description: &str,
    ) -> Self {
        let path = path.iter().map(|s| s.to_string()).collect();
        self.column_named(name, Source::Element(path), data_type, true, description)
    }

    /// Gives the last column another SQL name and description.
    pub(super) fn renamed_last(mut self, name: &str, description: &str) -> Self {
        if let Some(last) = self.def.columns.last_mut() {
            last.name = name.to_string();
            last.description = description.to_string();
        }
        self
    }

    /// A primary key other than `Id` (no get-by-id).
    pub(super) fn key(mut self, column: &str) -> Self {
        self.def.primary_key = Some(column.to_string());
        self
    }

    /// A fixed query parameter sent on every request.
    pub(super) fn fixed(mut self, param: &'static str, value: &'static str) -> Self {
        self.def.fixed_params.push((param, value));
        self
    }

    /// For an entity whose API has no `GET path/{id}` (the key stays).
    pub(super) fn without_get_by_id(mut self) -> Self {
        self.def.endpoint.get_by_id = false;
        self
    }

    /// A child table: requests name one parent (or a batch of them) of
    /// `table`, whose id this table's `column` holds. Child rows have no
    /// get-by-id of their own.
    pub(super) fn child_of(
        mut self,
        table: &'static str,
        column: &'static str,
        param: ParentParam,
    ) -> Self {
        self.def.parent = Some(ParentLink {
            table,
            column,
            param,
        });
        self.def.endpoint.get_by_id = false;
        self.fk(column, table).push(
            column,
            parent_filter_name(param),
            PushOp::EqList { max: 1000 },
        )
    }

    /// A column holding a request parameter (a parent id or a view input).
    pub(super) fn input(
        self,
        name: &str,
        param: &str,
        data_type: DataType,
        nullable: bool,
        description: &str,
    ) -> Self {
        self.column_named(
            name,
            Source::Input(param.to_string()),
            data_type,
            nullable,
            description,
        )
    }

    /// A required parameter: pushed from `column = v`, else `default`.
    pub(super) fn input_default(
        mut self,
        column: &'static str,
        param: &'static str,
        default: InputDefault,
    ) -> Self {
        self.def.input_defaults.push((param, default));
        self.push(column, param, PushOp::Eq)
    }

    pub(super) fn build(self) -> TableDef {
        self.def
    }
}

pub(super) fn address_columns(b: TableBuilder, prefix: &str, key: &str) -> TableBuilder {
    let parts = [
        ("", "value"),
        ("Country", "country"),
        ("AdminAreaLevel1", "admin_area_level_1"),
        ("AdminAreaLevel2", "admin_area_level_2"),
        ("Locality", "locality"),
        ("Sublocality", "sublocality"),
        ("Route", "route"),
        ("StreetNumber", "street_number"),
        ("Subpremise", "subpremise"),
        ("PostalCode", "postal_code"),
    ];
    parts.iter().fold(b, |b, (suffix, part)| {
        let name = format!("{prefix}{suffix}");
        let what = if suffix.is_empty() {
            "full address".to_string()
        } else {
            format!("address part {part}")
        };
        b.nested(&name, &[key, part], TEXT, &what)
    })
}

/// The name the parent filter is shown under: the query parameter, or the
/// path segment.
fn parent_filter_name(param: ParentParam) -> &'static str {
    match param {
        ParentParam::PathSegment => "{id}",
        ParentParam::Query(p) | ParentParam::QueryList { param: p, .. } => p,
    }
}
