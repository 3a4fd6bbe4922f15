//! Pipelines and their stages. Stage ids are laid out so that pipeline `p`
//! owns stages `(p-1)*S+1 ..= p*S` (S = stages per pipeline); deal
//! generation relies on that to keep every deal's stage inside its pipeline.

use super::rng::{Draw, Stream};
use crate::time;

#[derive(Clone, Debug)]
pub(crate) struct Pipeline {
    pub id: u64,
    pub name: String,
    pub order_nr: u64,
    pub is_deleted: bool,
    pub is_deal_probability_enabled: bool,
    pub add_time: i64,
    pub update_time: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Stage {
    pub id: u64,
    pub order_nr: u64,
    pub name: String,
    pub is_deleted: bool,
    pub deal_probability: u64,
    pub pipeline_id: u64,
    pub is_deal_rot_enabled: bool,
    pub days_to_rotten: Option<u64>,
    pub add_time: i64,
    pub update_time: i64,
}

const PIPELINE_NAMES: &[&str] = &[
    "Sales",
    "Partnerships",
    "Renewals 🔁",
    "Enterprise",
    "Ventes France",
];

const STAGE_NAMES: &[&str] = &[
    "Lead in",
    "Qualified",
    "Demo scheduled",
    "Proposal made",
    "Negotiations started",
    "Contract sent",
    "Verhandlung",
    "最終確認",
];

pub(crate) fn generate_pipelines(seed: u64, count: u64) -> Vec<Pipeline> {
    let base = time::timestamp(2018, 11, 20, 8, 0, 0);
    (1..=count)
        .map(|id| {
            let d = Draw::new(seed, Stream::Pipeline, id);
            let add_time = base + (id as i64 - 1) * 97 * 86_400 + d.range(1, 0, 86_399);
            let name = match PIPELINE_NAMES.get(id as usize - 1) {
                Some(n) => n.to_string(),
                None => format!("Pipeline {id}"),
            };
            Pipeline {
                id,
                name,
                order_nr: id,
                is_deleted: false,
                is_deal_probability_enabled: id % 2 == 1,
                add_time,
                update_time: add_time + d.range(2, 3_600, 400 * 86_400),
            }
        })
        .collect()
}

pub(crate) fn generate_stages(seed: u64, pipelines: &[Pipeline], per_pipeline: u64) -> Vec<Stage> {
    let mut stages = Vec::new();
    for p in pipelines {
        for k in 1..=per_pipeline {
            let id = (p.id - 1) * per_pipeline + k;
            let d = Draw::new(seed, Stream::Stage, id);
            let name = match STAGE_NAMES.get(k as usize - 1) {
                Some(n) => n.to_string(),
                None => format!("Stage {k}"),
            };
            let rot = d.percent(1, 40);
            let add_time = p.add_time + k as i64 * 60;
            stages.push(Stage {
                id,
                order_nr: k,
                name,
                is_deleted: false,
                // Probability grows along the pipeline: 100/S, 200/S, ..., 100.
                deal_probability: 100 * k / per_pipeline,
                pipeline_id: p.id,
                is_deal_rot_enabled: rot,
                days_to_rotten: rot.then(|| d.range(2, 7, 60) as u64),
                add_time,
                update_time: add_time + d.range(3, 0, 200 * 86_400),
            });
        }
    }
    stages
}
