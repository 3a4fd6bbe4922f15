//! INSERT, UPDATE and DELETE on Pipedrive entities: planned against the
//! write metadata of the data model ([`crate::model::writable`]) and
//! carried out as one API request per row, the API's minimum.
//!
//! Execution has two phases per statement: every parameter set is first
//! converted and checked (types, required columns, option labels) without
//! a request, then the rows are sent in order, stopping at the first
//! failure, so a type error never leaves half a batch written.

mod body;
mod plan;
mod run;

pub use plan::{plan_dml, DmlPlan, PlannedDml};
pub use run::{apply_writes, build_writes, DmlOutcome, RowFailure, RowWrites};

/// The environment write values are evaluated in (CURRENT_TIMESTAMP,
/// USER(), LAST_INSERT_ID()).
pub fn write_env(session: &crate::session::Session) -> crate::sql::expr::EvalEnv {
    crate::sql::expr::EvalEnv {
        now: super::now_utc(),
        user: session.user_name.clone(),
        database: session.company_name.clone(),
        subqueries: Default::default(),
        last_insert_id: session
            .client
            .last_created_id()
            .unwrap_or(crate::value::Value::Null),
    }
}
