//! v2 person objects (`GET /api/v2/persons`, `/persons/{id}`).

use super::custom::write_custom_fields;
use super::{address, date, time_v2, View};
use crate::data::optional_fields::{write_optional_field, OptionalOwner, RecordFacts};
use crate::data::persons::{ContactPoint, Person};
use crate::data::Dataset;
use crate::json::ObjectWriter;

fn contact_points(w: &mut ObjectWriter, key: &str, points: Option<&[ContactPoint]>) {
    let Some(points) = points else {
        w.null(key);
        return;
    };
    let out = w.key(key);
    out.push(b'[');
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = ObjectWriter::begin(out);
        o.str("value", &p.value);
        o.bool("primary", p.primary);
        o.str("label", &p.label);
        o.end();
    }
    out.push(b']');
}

pub(crate) fn write_person(out: &mut Vec<u8>, ds: &Dataset, person: &Person, view: &View) {
    let k = &person.keys;
    let mut w = ObjectWriter::begin(out);
    w.u64("id", k.id);
    w.str("name", &person.name);
    w.str("first_name", &person.first_name);
    w.str("last_name", &person.last_name);
    w.u64("owner_id", k.owner_id);
    w.opt_u64("org_id", k.org_id);
    time_v2(&mut w, "add_time", Some(k.add_time));
    time_v2(&mut w, "update_time", Some(k.update_time));
    contact_points(&mut w, "emails", Some(&person.emails));
    contact_points(&mut w, "phones", Some(&person.phones));
    w.bool("is_deleted", k.is_deleted);
    w.u64("visible_to", person.visible_to);
    w.u64_array("label_ids", &person.label_ids);
    w.opt_u64("picture_id", person.picture_id);
    write_custom_fields(&mut w, &ds.person_fields, &person.custom, view);
    w.opt_str("notes", person.notes.as_deref());
    contact_points(&mut w, "im", person.im.as_deref());
    date(&mut w, "birthday", person.birthday);
    w.opt_str("job_title", person.job_title.as_deref());
    address(&mut w, "postal_address", person.postal_address.as_ref());
    let facts = RecordFacts {
        id: k.id,
        add_time: k.add_time,
        update_time: k.update_time,
        won_time: None,
    };
    for name in &view.include_fields {
        write_optional_field(&mut w, ds.seed, OptionalOwner::Person, &facts, name);
    }
    w.end();
}
