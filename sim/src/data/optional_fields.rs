//! Values of the optional fields that v2 returns only when asked for with
//! `include_fields` (activity counts, mail times, ...). The simulator has
//! no activities, mails or files, so these are plausible numbers drawn from
//! (seed, entity, id), consistent between requests.

use super::rng::{Draw, Stream};
use super::users::COMPANY_DOMAIN;
use crate::json::ObjectWriter;
use crate::time;

/// Facts about the record that some optional fields derive from.
pub(crate) struct RecordFacts {
    pub id: u64,
    pub add_time: i64,
    pub update_time: i64,
    pub won_time: Option<i64>,
}

/// Which entity the record belongs to: a prefix for the e-mail address and
/// a separate random stream per entity.
#[derive(Clone, Copy)]
pub(crate) enum OptionalOwner {
    Deal,
    Person,
    Organization,
}

/// Writes `name: value` for one requested optional field.
pub(crate) fn write_optional_field(
    w: &mut ObjectWriter,
    seed: u64,
    owner: OptionalOwner,
    facts: &RecordFacts,
    name: &'static str,
) {
    let (salt, prefix) = match owner {
        OptionalOwner::Deal => (1u64, "deal"),
        OptionalOwner::Person => (2, "person"),
        OptionalOwner::Organization => (3, "org"),
    };
    let d = Draw::new(seed ^ salt, Stream::Extras, facts.id);
    // A stable attribute number per field name.
    let attr = name
        .bytes()
        .fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
    let done = d.below(1, 8);
    let undone = d.below(2, 5);
    match name {
        "activities_count" => w.u64(name, done + undone),
        "done_activities_count" => w.u64(name, done),
        "undone_activities_count" => w.u64(name, undone),
        "first_won_time" => match facts.won_time {
            Some(t) => time::write_rfc3339(w.key(name), t),
            None => w.null(name),
        },
        "next_activity_id" | "last_activity_id" => {
            let has = if name == "next_activity_id" {
                undone > 0
            } else {
                done > 0
            };
            w.opt_u64(name, has.then(|| 1 + d.below(attr, 5_000_000)))
        }
        "last_incoming_mail_time" | "last_outgoing_mail_time" => {
            if d.percent(attr, 50) {
                let t = facts.add_time + d.range(attr + 1, 0, facts.update_time - facts.add_time);
                time::write_rfc3339(w.key(name), t);
            } else {
                w.null(name);
            }
        }
        "smart_bcc_email" => w.str(
            name,
            &format!("{COMPANY_DOMAIN}+{prefix}{}@pipedrivemail.com", facts.id),
        ),
        "source_lead_id" => {
            if d.percent(attr, 10) {
                let a = d.u64(attr + 1);
                let b = d.u64(attr + 2);
                let uuid = format!(
                    "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                    a >> 32,
                    (a >> 16) & 0xffff,
                    a & 0xfff,
                    0x8000 | (b >> 48) & 0x3fff,
                    b & 0xffff_ffff_ffff
                );
                w.str(name, &uuid);
            } else {
                w.null(name);
            }
        }
        "marketing_status" => w.str(
            name,
            d.pick(
                attr,
                &["no_consent", "unsubscribed", "subscribed", "archived"],
            ),
        ),
        "doi_status" => w.opt_str(
            name,
            d.percent(attr, 40)
                .then(|| d.pick(attr + 1, &["pending", "confirmed", "unconfirmed"])),
        ),
        // Every other optional field is a count.
        _ => w.u64(name, d.below(attr, 12)),
    }
}
