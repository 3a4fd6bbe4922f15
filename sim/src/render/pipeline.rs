//! v2 pipeline and stage objects.

use super::time_v2;
use crate::data::pipelines::{Pipeline, Stage};
use crate::json::ObjectWriter;

pub(crate) fn write_pipeline(out: &mut Vec<u8>, p: &Pipeline) {
    let mut w = ObjectWriter::begin(out);
    w.u64("id", p.id);
    w.str("name", &p.name);
    w.u64("order_nr", p.order_nr);
    w.bool("is_deleted", p.is_deleted);
    w.bool("is_deal_probability_enabled", p.is_deal_probability_enabled);
    time_v2(&mut w, "add_time", Some(p.add_time));
    time_v2(&mut w, "update_time", Some(p.update_time));
    w.end();
}

pub(crate) fn write_stage(out: &mut Vec<u8>, s: &Stage) {
    let mut w = ObjectWriter::begin(out);
    w.u64("id", s.id);
    w.u64("order_nr", s.order_nr);
    w.str("name", &s.name);
    w.bool("is_deleted", s.is_deleted);
    w.u64("deal_probability", s.deal_probability);
    w.u64("pipeline_id", s.pipeline_id);
    w.bool("is_deal_rot_enabled", s.is_deal_rot_enabled);
    w.opt_u64("days_to_rotten", s.days_to_rotten);
    time_v2(&mut w, "add_time", Some(s.add_time));
    time_v2(&mut w, "update_time", Some(s.update_time));
    w.end();
}
