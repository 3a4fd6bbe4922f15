//! v2 organization objects (`GET /api/v2/organizations`, `/organizations/{id}`).

use super::custom::write_custom_fields;
use super::{address, time_v2, View};
use crate::data::optional_fields::{write_optional_field, OptionalOwner, RecordFacts};
use crate::data::organizations::Organization;
use crate::data::Dataset;
use crate::json::ObjectWriter;

pub(crate) fn write_organization(out: &mut Vec<u8>, ds: &Dataset, org: &Organization, view: &View) {
    let k = &org.keys;
    let mut w = ObjectWriter::begin(out);
    w.u64("id", k.id);
    w.str("name", &org.name);
    w.u64("owner_id", k.owner_id);
    time_v2(&mut w, "add_time", Some(k.add_time));
    time_v2(&mut w, "update_time", Some(k.update_time));
    w.bool("is_deleted", k.is_deleted);
    w.u64("visible_to", org.visible_to);
    address(&mut w, "address", org.address.as_ref());
    w.u64_array("label_ids", &org.label_ids);
    w.opt_str("website", org.website.as_deref());
    w.opt_str("linkedin", org.linkedin.as_deref());
    w.opt_i64("industry", org.industry);
    w.opt_i64("annual_revenue", org.annual_revenue);
    w.opt_i64("employee_count", org.employee_count);
    write_custom_fields(&mut w, &ds.organization_fields, &org.custom, view);
    let facts = RecordFacts {
        id: k.id,
        add_time: k.add_time,
        update_time: k.update_time,
        won_time: None,
    };
    for name in &view.include_fields {
        write_optional_field(&mut w, ds.seed, OptionalOwner::Organization, &facts, name);
    }
    w.end();
}
