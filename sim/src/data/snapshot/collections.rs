//! Saving and loading the record-shaped entities (`activities`, `leads`,
//! `dealProducts`, ...) as dataset file sections: their records are the
//! JSON maps the API returns, so they are written and read as they are.

use super::reader::Obj;
use super::{write_section, SaveMode};
use crate::data::records::activities::Activities;
use crate::data::records::calls::CallLogs;
use crate::data::records::config_kinds::{
    ActivityTypes, Currencies, Filters, Goals, LeadLabels, Roles, Webhooks,
};
use crate::data::records::files::Files;
use crate::data::records::leads::Leads;
use crate::data::records::nested::{DealParticipants, DealProducts, NoteComments};
use crate::data::records::notes::Notes;
use crate::data::records::products::Products;
use crate::data::records::projects::{Boards, Phases, Projects, Tasks};
use crate::data::records::relationships::OrganizationRelationships;
use crate::data::records::store::{stored, RecordReader};
use crate::data::records::{id_value, parse_id, RecordKind};
use crate::data::Dataset;
use serde_json::Value;
use std::io::{self, Write};

/// How one record kind is saved and loaded.
pub(crate) struct KindIo {
    pub name: &'static str,
    pub save: fn(&Dataset, SaveMode, &mut dyn Write) -> io::Result<()>,
    pub load: fn(&Dataset, &Obj) -> Result<(), String>,
}

fn io_of<K: RecordKind>() -> KindIo {
    KindIo {
        name: K::NAME,
        save: save_kind::<K>,
        load: load_kind::<K>,
    }
}

/// Every record kind, in the order a dataset file lists them.
pub(crate) fn kinds() -> Vec<KindIo> {
    vec![
        io_of::<Activities>(),
        io_of::<ActivityTypes>(),
        io_of::<Boards>(),
        io_of::<CallLogs>(),
        io_of::<Currencies>(),
        io_of::<DealParticipants>(),
        io_of::<DealProducts>(),
        io_of::<Files>(),
        io_of::<Filters>(),
        io_of::<Goals>(),
        io_of::<LeadLabels>(),
        io_of::<Leads>(),
        io_of::<NoteComments>(),
        io_of::<Notes>(),
        io_of::<OrganizationRelationships>(),
        io_of::<Phases>(),
        io_of::<Products>(),
        io_of::<Projects>(),
        io_of::<Roles>(),
        io_of::<Tasks>(),
        io_of::<Webhooks>(),
    ]
}

fn save_kind<K: RecordKind>(ds: &Dataset, mode: SaveMode, out: &mut dyn Write) -> io::Result<()> {
    let overlay = ds.records.read::<K>();
    let slots = overlay.slots.slots_in_order();
    let deleted: Vec<u64> = slots
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|(id, _)| *id)
        .collect();
    let next_id = K::base_slots(ds).max(overlay.last_created) + 1;
    let records: Vec<Vec<u8>> = match mode {
        SaveMode::Changes => slots
            .iter()
            .filter_map(|(_, s)| s.map(|(record, _)| serde_json::to_vec(record)))
            .collect::<Result<_, _>>()?,
        SaveMode::Full => {
            // The reader takes the overlay lock itself.
            drop(overlay);
            RecordReader::<K>::new(ds)
                .all()
                .iter()
                .map(|(_, record)| serde_json::to_vec(record))
                .collect::<Result<_, _>>()?
        }
    };
    write_section(out, K::NAME, next_id, &deleted, records.into_iter())
}

fn load_kind<K: RecordKind>(ds: &Dataset, section: &Obj) -> Result<(), String> {
    let mut overlay = ds.records.write::<K>();
    for record in section.objects("records")? {
        let id_key = K::ID_MEMBER;
        let id_member = record
            .get(id_key)
            .ok_or_else(|| record.err(id_key, "missing"))?;
        let id_text = match id_member {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let id = parse_id(ds, K::ID, &id_text)
            .filter(|&id| id > 0 && id_value(ds, K::ID, id) == *id_member)
            .ok_or_else(|| {
                record.err(
                    id_key,
                    &format!("'{id_text}' is not an id of this collection (for this seed)"),
                )
            })?;
        if overlay.slots.contains(id) {
            return Err(record.err(id_key, &format!("{id_text} is listed twice")));
        }
        overlay.slots.put(id, stored::<K>(ds, record.map().clone()));
    }
    for (i, id) in section.u64_list("deleted_ids")?.into_iter().enumerate() {
        if overlay.slots.contains(id) {
            return Err(section.err(
                &format!("deleted_ids[{i}]"),
                &format!("{id} is also in records"),
            ));
        }
        overlay.slots.remove(id);
    }
    if let Some(next) = section.opt_u64("next_id")? {
        let highest = overlay.slots.max_id();
        if next <= highest {
            return Err(section.err(
                "next_id",
                &format!("must be above every id in the section ({highest})"),
            ));
        }
        overlay.last_created = overlay.last_created.max(next - 1);
    }
    // Created records take ids after every loaded one, even when the file
    // gives no next_id.
    overlay.last_created = overlay.last_created.max(overlay.slots.max_id());
    Ok(())
}
