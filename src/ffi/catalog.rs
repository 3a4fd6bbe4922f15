//! The catalog functions: arguments in, a result set opened on the
//! statement.

use super::text::SqlWChar;
use super::text::{read_text, OdbcChar};
use super::*;
use crate::catalog;

type CatalogResult = (Vec<crate::sql::ResultColumn>, Vec<Vec<crate::value::Value>>);

/// Runs a catalog query on an executable statement and opens its result.
fn open(stmt: Handle, f: impl FnOnce(&Stmt) -> Result<CatalogResult>) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        if s.cursor.is_some() {
            return Err(OdbcError::new(
                SqlState::InvalidCursorState,
                "A cursor is open",
            ));
        }
        let (columns, rows) = f(s)?;
        s.set_result(columns, rows);
        Ok(Status::Success)
    })
}

unsafe fn arg<C: OdbcChar>(ptr: *const C, len: i16) -> Result<Option<String>> {
    read_text(ptr, isize::from(len))
}

#[allow(clippy::too_many_arguments)]
unsafe fn tables<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    tab: *const C,
    tab_len: i16,
    typ: *const C,
    typ_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let (c, sc, t, ty) = (
            arg(cat, cat_len)?,
            arg(sch, sch_len)?,
            arg(tab, tab_len)?,
            arg(typ, typ_len)?,
        );
        catalog::tables(
            &s.session.schema,
            c.as_deref(),
            sc.as_deref(),
            t.as_deref(),
            ty.as_deref(),
            s.attrs.metadata_id != 0,
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLTables(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    tab: *const u8,
    tab_len: i16,
    typ: *const u8,
    typ_len: i16,
) -> SqlReturn {
    tables(stmt, cat, cat_len, sch, sch_len, tab, tab_len, typ, typ_len)
}

/// # Safety
/// As for SQLTables, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLTablesW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    tab: *const SqlWChar,
    tab_len: i16,
    typ: *const SqlWChar,
    typ_len: i16,
) -> SqlReturn {
    tables(stmt, cat, cat_len, sch, sch_len, tab, tab_len, typ, typ_len)
}

#[allow(clippy::too_many_arguments)]
unsafe fn columns<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    tab: *const C,
    tab_len: i16,
    col: *const C,
    col_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let (c, sc, t, co) = (
            arg(cat, cat_len)?,
            arg(sch, sch_len)?,
            arg(tab, tab_len)?,
            arg(col, col_len)?,
        );
        catalog::columns(
            &s.session.schema,
            &s.session.client,
            c.as_deref(),
            sc.as_deref(),
            t.as_deref(),
            co.as_deref(),
            s.attrs.metadata_id != 0,
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLColumns(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    tab: *const u8,
    tab_len: i16,
    col: *const u8,
    col_len: i16,
) -> SqlReturn {
    columns(stmt, cat, cat_len, sch, sch_len, tab, tab_len, col, col_len)
}

/// # Safety
/// As for SQLColumns, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLColumnsW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    tab: *const SqlWChar,
    tab_len: i16,
    col: *const SqlWChar,
    col_len: i16,
) -> SqlReturn {
    columns(stmt, cat, cat_len, sch, sch_len, tab, tab_len, col, col_len)
}

unsafe fn primary_keys<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    tab: *const C,
    tab_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let t = arg(tab, tab_len)?.ok_or_else(|| {
            OdbcError::new(SqlState::InvalidNullPointer, "TableName is a null pointer")
        })?;
        catalog::primary_keys(
            &s.session.schema,
            arg(cat, cat_len)?.as_deref(),
            arg(sch, sch_len)?.as_deref(),
            Some(&t),
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLPrimaryKeys(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    tab: *const u8,
    tab_len: i16,
) -> SqlReturn {
    primary_keys(stmt, cat, cat_len, sch, sch_len, tab, tab_len)
}

/// # Safety
/// As for SQLPrimaryKeys, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLPrimaryKeysW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    tab: *const SqlWChar,
    tab_len: i16,
) -> SqlReturn {
    primary_keys(stmt, cat, cat_len, sch, sch_len, tab, tab_len)
}

#[allow(clippy::too_many_arguments)]
unsafe fn foreign_keys<C: OdbcChar>(
    stmt: Handle,
    pk_cat: *const C,
    pk_cat_len: i16,
    pk_sch: *const C,
    pk_sch_len: i16,
    pk_tab: *const C,
    pk_tab_len: i16,
    fk_cat: *const C,
    fk_cat_len: i16,
    fk_sch: *const C,
    fk_sch_len: i16,
    fk_tab: *const C,
    fk_tab_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let pk = arg(pk_tab, pk_tab_len)?;
        let fk = arg(fk_tab, fk_tab_len)?;
        if pk.as_deref().is_none_or(str::is_empty) && fk.as_deref().is_none_or(str::is_empty) {
            return Err(OdbcError::new(
                SqlState::InvalidNullPointer,
                "Either PKTableName or FKTableName must be given",
            ));
        }
        let outside = |v: Option<String>| v.is_some_and(|v| !v.is_empty());
        let namespace_ok = !(outside(arg(pk_cat, pk_cat_len)?)
            || outside(arg(pk_sch, pk_sch_len)?)
            || outside(arg(fk_cat, fk_cat_len)?)
            || outside(arg(fk_sch, fk_sch_len)?));
        catalog::foreign_keys(
            &s.session.schema,
            pk.as_deref(),
            fk.as_deref(),
            namespace_ok,
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLForeignKeys(
    stmt: Handle,
    pk_cat: *const u8,
    pk_cat_len: i16,
    pk_sch: *const u8,
    pk_sch_len: i16,
    pk_tab: *const u8,
    pk_tab_len: i16,
    fk_cat: *const u8,
    fk_cat_len: i16,
    fk_sch: *const u8,
    fk_sch_len: i16,
    fk_tab: *const u8,
    fk_tab_len: i16,
) -> SqlReturn {
    foreign_keys(
        stmt, pk_cat, pk_cat_len, pk_sch, pk_sch_len, pk_tab, pk_tab_len, fk_cat, fk_cat_len,
        fk_sch, fk_sch_len, fk_tab, fk_tab_len,
    )
}

/// # Safety
/// As for SQLForeignKeys, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLForeignKeysW(
    stmt: Handle,
    pk_cat: *const SqlWChar,
    pk_cat_len: i16,
    pk_sch: *const SqlWChar,
    pk_sch_len: i16,
    pk_tab: *const SqlWChar,
    pk_tab_len: i16,
    fk_cat: *const SqlWChar,
    fk_cat_len: i16,
    fk_sch: *const SqlWChar,
    fk_sch_len: i16,
    fk_tab: *const SqlWChar,
    fk_tab_len: i16,
) -> SqlReturn {
    foreign_keys(
        stmt, pk_cat, pk_cat_len, pk_sch, pk_sch_len, pk_tab, pk_tab_len, fk_cat, fk_cat_len,
        fk_sch, fk_sch_len, fk_tab, fk_tab_len,
    )
}

#[allow(clippy::too_many_arguments)]
unsafe fn statistics<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    tab: *const C,
    tab_len: i16,
    unique: u16,
    _reserved: u16,
) -> SqlReturn {
    open(stmt, |s| {
        if unique > 1 {
            return Err(OdbcError::new(
                SqlState::UniquenessOptionOutOfRange,
                format!("Invalid Unique option {unique}"),
            ));
        }
        let t = arg(tab, tab_len)?.ok_or_else(|| {
            OdbcError::new(SqlState::InvalidNullPointer, "TableName is a null pointer")
        })?;
        catalog::statistics(
            &s.session.schema,
            arg(cat, cat_len)?.as_deref(),
            arg(sch, sch_len)?.as_deref(),
            Some(&t),
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLStatistics(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    tab: *const u8,
    tab_len: i16,
    unique: u16,
    reserved: u16,
) -> SqlReturn {
    statistics(
        stmt, cat, cat_len, sch, sch_len, tab, tab_len, unique, reserved,
    )
}

/// # Safety
/// As for SQLStatistics, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLStatisticsW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    tab: *const SqlWChar,
    tab_len: i16,
    unique: u16,
    reserved: u16,
) -> SqlReturn {
    statistics(
        stmt, cat, cat_len, sch, sch_len, tab, tab_len, unique, reserved,
    )
}

#[allow(clippy::too_many_arguments)]
unsafe fn special_columns<C: OdbcChar>(
    stmt: Handle,
    id_type: u16,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    tab: *const C,
    tab_len: i16,
    scope: u16,
    nullable: u16,
) -> SqlReturn {
    open(stmt, |s| {
        if id_type != 1 && id_type != 2 {
            return Err(OdbcError::new(
                SqlState::ColumnTypeOutOfRange,
                format!("Invalid IdentifierType {id_type}"),
            ));
        }
        if scope > 2 {
            return Err(OdbcError::new(
                SqlState::ScopeTypeOutOfRange,
                format!("Invalid Scope {scope}"),
            ));
        }
        if nullable > 1 {
            return Err(OdbcError::new(
                SqlState::NullableTypeOutOfRange,
                format!("Invalid Nullable {nullable}"),
            ));
        }
        let t = arg(tab, tab_len)?.ok_or_else(|| {
            OdbcError::new(SqlState::InvalidNullPointer, "TableName is a null pointer")
        })?;
        catalog::special_columns(
            &s.session.schema,
            id_type,
            arg(cat, cat_len)?.as_deref(),
            arg(sch, sch_len)?.as_deref(),
            Some(&t),
        )
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLSpecialColumns(
    stmt: Handle,
    id_type: u16,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    tab: *const u8,
    tab_len: i16,
    scope: u16,
    nullable: u16,
) -> SqlReturn {
    special_columns(
        stmt, id_type, cat, cat_len, sch, sch_len, tab, tab_len, scope, nullable,
    )
}

/// # Safety
/// As for SQLSpecialColumns, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLSpecialColumnsW(
    stmt: Handle,
    id_type: u16,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    tab: *const SqlWChar,
    tab_len: i16,
    scope: u16,
    nullable: u16,
) -> SqlReturn {
    special_columns(
        stmt, id_type, cat, cat_len, sch, sch_len, tab, tab_len, scope, nullable,
    )
}

unsafe fn procedures<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    proc: *const C,
    proc_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let (c, sc, p) = (arg(cat, cat_len)?, arg(sch, sch_len)?, arg(proc, proc_len)?);
        let metadata_id = s.attrs.metadata_id != 0;
        if catalog::outside_default_namespace(c.as_deref())
            || catalog::outside_default_namespace(sc.as_deref())
        {
            let (columns, _) = catalog::procedures(&catalog::NameFilter::Any);
            return Ok((columns, Vec::new()));
        }
        Ok(catalog::procedures(&catalog::NameFilter::pattern(
            p.as_deref(),
            metadata_id,
        )?))
    })
}

#[allow(clippy::too_many_arguments)]
unsafe fn procedure_columns<C: OdbcChar>(
    stmt: Handle,
    cat: *const C,
    cat_len: i16,
    sch: *const C,
    sch_len: i16,
    proc: *const C,
    proc_len: i16,
    col: *const C,
    col_len: i16,
) -> SqlReturn {
    open(stmt, |s| {
        let (c, sc) = (arg(cat, cat_len)?, arg(sch, sch_len)?);
        let (p, co) = (arg(proc, proc_len)?, arg(col, col_len)?);
        let metadata_id = s.attrs.metadata_id != 0;
        let procedure = catalog::NameFilter::pattern(p.as_deref(), metadata_id)?;
        let column = catalog::NameFilter::pattern(co.as_deref(), metadata_id)?;
        let (columns, rows) = catalog::procedure_columns(&procedure, &column);
        if catalog::outside_default_namespace(c.as_deref())
            || catalog::outside_default_namespace(sc.as_deref())
        {
            return Ok((columns, Vec::new()));
        }
        Ok((columns, rows))
    })
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLProcedures(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    proc: *const u8,
    proc_len: i16,
) -> SqlReturn {
    procedures(stmt, cat, cat_len, sch, sch_len, proc, proc_len)
}

/// # Safety
/// As for SQLProcedures.
#[no_mangle]
pub unsafe extern "system" fn SQLProceduresW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    proc: *const SqlWChar,
    proc_len: i16,
) -> SqlReturn {
    procedures(stmt, cat, cat_len, sch, sch_len, proc, proc_len)
}

/// # Safety
/// String arguments null or valid for their lengths.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn SQLProcedureColumns(
    stmt: Handle,
    cat: *const u8,
    cat_len: i16,
    sch: *const u8,
    sch_len: i16,
    proc: *const u8,
    proc_len: i16,
    col: *const u8,
    col_len: i16,
) -> SqlReturn {
    procedure_columns(
        stmt, cat, cat_len, sch, sch_len, proc, proc_len, col, col_len,
    )
}

/// # Safety
/// As for SQLProcedureColumns.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn SQLProcedureColumnsW(
    stmt: Handle,
    cat: *const SqlWChar,
    cat_len: i16,
    sch: *const SqlWChar,
    sch_len: i16,
    proc: *const SqlWChar,
    proc_len: i16,
    col: *const SqlWChar,
    col_len: i16,
) -> SqlReturn {
    procedure_columns(
        stmt, cat, cat_len, sch, sch_len, proc, proc_len, col, col_len,
    )
}

unsafe fn get_type_info(stmt: Handle, data_type: i16) -> SqlReturn {
    open(stmt, |_| catalog::type_info(data_type))
}

/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLGetTypeInfo(stmt: Handle, data_type: i16) -> SqlReturn {
    get_type_info(stmt, data_type)
}

/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLGetTypeInfoW(stmt: Handle, data_type: i16) -> SqlReturn {
    get_type_info(stmt, data_type)
}
