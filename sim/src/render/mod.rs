//! The JSON shapes of records, written straight into byte buffers.
//! Member order follows the examples in Pipedrive's OpenAPI documents, and
//! every property the schemas list is present (`null` where absent).

pub(crate) mod custom;
pub(crate) mod deal;
pub(crate) mod field;
pub(crate) mod organization;
pub(crate) mod person;
pub(crate) mod pipeline;
pub(crate) mod user;

use crate::data::address::Address;
use crate::json::ObjectWriter;
use crate::time;

/// Request options that change how a v2 record is written.
#[derive(Clone, Debug, Default)]
pub(crate) struct View {
    /// `custom_fields=`: indexes of the custom fields to return; `None` for all.
    pub custom_fields: Option<Vec<usize>>,
    /// `include_option_labels=true`: enum/set values as `{id, label}`.
    pub option_labels: bool,
    /// `include_fields=`: optional fields to add, in request order.
    pub include_fields: Vec<&'static str>,
}

/// A v2 timestamp member, `null` when absent.
pub(crate) fn time_v2(w: &mut ObjectWriter, key: &str, ts: Option<i64>) {
    match ts {
        Some(t) => time::write_rfc3339(w.key(key), t),
        None => w.null(key),
    }
}

/// A v1 timestamp member (`YYYY-MM-DD HH:MM:SS`), `null` when absent.
pub(crate) fn time_v1(w: &mut ObjectWriter, key: &str, ts: Option<i64>) {
    match ts {
        Some(t) => time::write_v1_time(w.key(key), t),
        None => w.null(key),
    }
}

/// A date member from a day number, `null` when absent.
pub(crate) fn date(w: &mut ObjectWriter, key: &str, days: Option<i64>) {
    match days {
        Some(d) => time::write_date(w.key(key), d),
        None => w.null(key),
    }
}

/// An address object with every part present, or `null`.
pub(crate) fn address(w: &mut ObjectWriter, key: &str, address: Option<&Address>) {
    let Some(a) = address else {
        w.null(key);
        return;
    };
    let mut o = ObjectWriter::begin(w.key(key));
    o.str("value", &a.value);
    o.opt_str("country", a.country.as_deref());
    o.opt_str("admin_area_level_1", a.admin_area_level_1.as_deref());
    o.opt_str("admin_area_level_2", a.admin_area_level_2.as_deref());
    o.opt_str("locality", a.locality.as_deref());
    o.opt_str("sublocality", a.sublocality.as_deref());
    o.opt_str("route", a.route.as_deref());
    o.opt_str("street_number", a.street_number.as_deref());
    o.opt_str("subpremise", a.subpremise.as_deref());
    o.opt_str("postal_code", a.postal_code.as_deref());
    o.end();
}
