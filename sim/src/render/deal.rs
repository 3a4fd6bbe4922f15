//! v2 deal objects (`GET /api/v2/deals`, `/deals/{id}`).

use super::custom::write_custom_fields;
use super::{date, time_v2, View};
use crate::data::deals::{Deal, DealStatus};
use crate::data::optional_fields::{write_optional_field, OptionalOwner, RecordFacts};
use crate::data::Dataset;
use crate::json::ObjectWriter;
use crate::time::SECONDS_PER_DAY;

pub(crate) fn write_deal(out: &mut Vec<u8>, ds: &Dataset, deal: &Deal, view: &View) {
    let k = &deal.keys;
    let day = |t: Option<i64>| t.map(|t| t.div_euclid(SECONDS_PER_DAY));
    let mut w = ObjectWriter::begin(out);
    w.u64("id", k.id);
    w.str("title", &deal.title);
    w.u64("creator_user_id", deal.creator_user_id);
    w.u64("owner_id", k.owner_id);
    w.f64("value", deal.value);
    w.opt_u64("person_id", k.person_id);
    w.opt_u64("org_id", k.org_id);
    w.u64("stage_id", k.stage_id);
    w.u64("pipeline_id", k.pipeline_id);
    w.str("currency", &deal.currency);
    time_v2(&mut w, "archive_time", deal.archive_time);
    time_v2(&mut w, "add_time", Some(k.add_time));
    time_v2(&mut w, "update_time", Some(k.update_time));
    time_v2(&mut w, "stage_change_time", deal.stage_change_time);
    w.str("status", k.status.name());
    w.bool("is_archived", k.is_archived);
    w.bool("is_deleted", k.status == DealStatus::Deleted);
    w.opt_f64("probability", deal.probability);
    w.opt_str("lost_reason", deal.lost_reason.as_deref());
    w.u64("visible_to", deal.visible_to);
    time_v2(&mut w, "close_time", deal.close_time);
    time_v2(&mut w, "won_time", deal.won_time);
    time_v2(&mut w, "lost_time", deal.lost_time);
    date(&mut w, "local_won_date", day(deal.won_time));
    date(&mut w, "local_lost_date", day(deal.lost_time));
    date(&mut w, "local_close_date", day(deal.close_time));
    date(&mut w, "expected_close_date", deal.expected_close_date);
    w.u64_array("label_ids", &deal.label_ids);
    w.str("origin", &deal.origin);
    w.opt_str("origin_id", deal.origin_id.as_deref());
    w.opt_i64("channel", deal.channel);
    w.opt_str("channel_id", deal.channel_id.as_deref());
    w.opt_f64("acv", deal.acv);
    w.opt_f64("arr", deal.arr);
    w.opt_f64("mrr", deal.mrr);
    write_custom_fields(&mut w, &ds.deal_fields, &deal.custom, view);
    let facts = RecordFacts {
        id: k.id,
        add_time: k.add_time,
        update_time: k.update_time,
        won_time: deal.won_time,
    };
    for name in &view.include_fields {
        write_optional_field(&mut w, ds.seed, OptionalOwner::Deal, &facts, name);
    }
    w.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::deals::{deal_keys, generate_deal};

    /// Rough per-record cost of generation and rendering, without HTTP:
    /// `cargo test -p pipedrive-sim --release -- --ignored --nocapture render_cost`
    #[test]
    #[ignore]
    fn render_cost() {
        let ds = Dataset::new(&SimConfig {
            deals: 1_000_000,
            persons: 200_000,
            organizations: 50_000,
            ..SimConfig::default()
        });
        let view = View::default();
        let n = 200_000u64;
        let t = std::time::Instant::now();
        let mut keys_sum = 0u64;
        for id in 1..=n {
            keys_sum += deal_keys(&ds, id).owner_id;
        }
        let keys_time = t.elapsed();
        // Pages of 500, as the server produces them, reusing memory.
        let (mut gen_time, mut render_time, mut drop_time) = Default::default();
        let mut out = Vec::with_capacity(1_000_000);
        let mut bytes = 0;
        for page in 0..n / 500 {
            let t = std::time::Instant::now();
            let deals: Vec<_> = (page * 500 + 1..=page * 500 + 500)
                .map(|id| generate_deal(&ds, deal_keys(&ds, id)))
                .collect();
            gen_time += t.elapsed();
            let t = std::time::Instant::now();
            out.clear();
            for d in &deals {
                write_deal(&mut out, &ds, d, &view);
            }
            bytes += out.len();
            render_time += t.elapsed();
            let t = std::time::Instant::now();
            drop(deals);
            drop_time += t.elapsed();
        }
        let per = |d: std::time::Duration| d.as_nanos() as f64 / n as f64;
        println!(
            "keys {:.0} ns, generate {:.0} ns, render {:.0} ns, drop {:.0} ns per deal; {} bytes/deal ({keys_sum})",
            per(keys_time),
            per(gen_time),
            per(render_time),
            per(drop_time),
            bytes as u64 / n
        );
    }
}
