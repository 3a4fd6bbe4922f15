//! The simulated company's data.
//!
//! Users, pipelines, stages and field definitions are small and built at
//! start-up. Deals, persons and organizations are generated on demand from
//! (seed, id), so a million deals cost no memory and no start-up time; an
//! overlay (see [`overlay`]) will hold records changed by writes.

pub(crate) mod address;
pub(crate) mod builtin_fields;
pub(crate) mod custom_fields;
pub(crate) mod custom_values;
pub(crate) mod deals;
pub(crate) mod entity_writes;
pub(crate) mod followers;
pub(crate) mod listing;
pub(crate) mod optional_fields;
pub(crate) mod organizations;
pub(crate) mod overlay;
pub(crate) mod persons;
pub(crate) mod pipeline_writes;
pub(crate) mod pipelines;
pub(crate) mod records;
pub(crate) mod rng;
pub(crate) mod snapshot;
pub(crate) mod text;
pub(crate) mod users;

use crate::config::SimConfig;
use crate::render::{self, View};
use crate::time;
use custom_fields::{CustomFieldDef, FieldEntity};
use deals::Deal;
use listing::{Deals, EntityReader, Organizations, Persons};
use organizations::Organization;
use overlay::EntityOverlay;
use persons::Person;
use pipelines::{Pipeline, Stage};
use rng::Draw;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock};
use users::User;

/// Generated records are created between these instants...
pub(crate) const DATA_START: i64 = 1_546_300_800; // 2019-01-01T00:00:00Z
pub(crate) const DATA_END: i64 = 1_767_139_200; // 2025-12-31T00:00:00Z
/// ...and nothing happens after this fixed "now", so data never depends on
/// the wall clock.
pub(crate) const DATA_NOW: i64 = 1_768_467_600; // 2026-01-15T09:00:00Z

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Counts {
    pub deals: u64,
    pub persons: u64,
    pub organizations: u64,
    pub users: u64,
    pub pipelines: u64,
    pub stages_per_pipeline: u64,
    pub activities: u64,
    pub notes: u64,
    pub products: u64,
    pub leads: u64,
    pub projects: u64,
    /// Derived: three tasks per project.
    pub tasks: u64,
    pub files: u64,
    pub call_logs: u64,
}

impl Counts {
    /// The configured counts; entities the configuration leaves out scale
    /// with the number of deals (a company with more deals has more of
    /// everything), within bounds that keep small demos lively.
    pub(crate) fn from_config(cfg: &SimConfig) -> Counts {
        let deals = cfg.deals.min(SimConfig::MAX_RECORDS);
        let derived = |given: Option<u64>, per_deal: f64, min: u64, max: u64| {
            given
                .unwrap_or_else(|| ((deals as f64 * per_deal) as u64).clamp(min, max))
                .min(SimConfig::MAX_RECORDS / 4)
        };
        let projects = derived(cfg.projects, 0.05, 6, 100_000);
        Counts {
            deals,
            persons: cfg.persons.min(SimConfig::MAX_RECORDS),
            organizations: cfg.organizations.min(SimConfig::MAX_RECORDS),
            users: cfg.users.max(1),
            pipelines: cfg.pipelines.max(1),
            stages_per_pipeline: cfg.stages_per_pipeline.max(1),
            activities: derived(cfg.activities, 2.0, 30, u64::MAX),
            notes: derived(cfg.notes, 1.0, 20, u64::MAX),
            products: derived(cfg.products, 0.1, 16, 5_000),
            leads: derived(cfg.leads, 0.5, 12, u64::MAX),
            projects,
            tasks: projects * 3,
            files: derived(None, 0.3, 10, u64::MAX),
            call_logs: derived(None, 0.3, 10, u64::MAX),
        }
    }
}

/// The time writes stamp on records: the wall clock, but never before the
/// generated data's fixed "now", so written records are always the most
/// recently updated ones.
pub(crate) fn write_clock() -> i64 {
    time::now().max(DATA_NOW + 60)
}

/// Creation time of record `id` of `count`: evenly spread over the data
/// window plus jitter smaller than the spacing, so it never decreases as the
/// id grows (sorting by `add_time` is sorting by id).
pub(crate) fn spread_add_time(draw: &Draw, attr: u64, id: u64, count: u64) -> i64 {
    let span = (DATA_END - DATA_START) as u128;
    let count = count.max(1) as u128;
    let base = DATA_START + ((id.saturating_sub(1) as u128 * span) / count) as i64;
    let spacing = (span / count) as u64;
    base + draw.below(attr, spacing) as i64
}

/// Last-update time: most records change within days or weeks of creation,
/// some much later; never after [`DATA_NOW`].
pub(crate) fn spread_update_time(draw: &Draw, attr: u64, add_time: i64) -> i64 {
    const DAY: i64 = time::SECONDS_PER_DAY;
    let max_delta = match draw.below(attr, 100) {
        0..=24 => 3_600,
        25..=59 => 30 * DAY,
        60..=89 => 180 * DAY,
        _ => 720 * DAY,
    };
    (add_time + draw.range(attr + 1, 0, max_delta))
        .min(DATA_NOW)
        .max(add_time)
}

/// Records changed by writes, per entity (empty until writes exist).
#[derive(Default)]
pub(crate) struct Overlay {
    pub deals: RwLock<EntityOverlay<Deal>>,
    pub persons: RwLock<EntityOverlay<Person>>,
    pub organizations: RwLock<EntityOverlay<Organization>>,
}

/// The simulated company: every record the API serves.
///
/// The accessors return records exactly as the API's default v2 (or, for
/// users, v1) JSON, so tests can compute expected answers by brute force.
pub struct Dataset {
    pub(crate) seed: u64,
    pub(crate) counts: Counts,
    /// Company users: few, built at start-up, changed by `POST/PUT /users`.
    pub(crate) users: RwLock<Vec<User>>,
    /// Pipelines and stages: few, built at start-up, changed by writes.
    pub(crate) pipelines: RwLock<Vec<Pipeline>>,
    pub(crate) stages: RwLock<Vec<Stage>>,
    pub(crate) deal_fields: Vec<CustomFieldDef>,
    pub(crate) person_fields: Vec<CustomFieldDef>,
    pub(crate) organization_fields: Vec<CustomFieldDef>,
    pub(crate) product_fields: Vec<CustomFieldDef>,
    pub(crate) project_fields: Vec<CustomFieldDef>,
    pub(crate) overlay: Overlay,
    /// Lazily built `update_time` orders of deals, persons, organizations.
    pub(crate) update_time_index: [OnceLock<Vec<(i64, u32)>>; 3],
    /// Record-shaped entities (activities, notes, leads, ...).
    pub(crate) records: records::store::RecordStore,
    /// Followers of deals, persons, organizations and products.
    pub(crate) followers: followers::FollowerStore,
    /// The bytes of files uploaded with `POST /files`, by file id
    /// (generated files have metadata only).
    pub(crate) file_contents: RwLock<BTreeMap<u64, Arc<Vec<u8>>>>,
}

/// The custom field definitions of the entities that have their own.
pub(crate) struct FieldDefs {
    pub deal: Vec<CustomFieldDef>,
    pub person: Vec<CustomFieldDef>,
    pub organization: Vec<CustomFieldDef>,
    pub product: Vec<CustomFieldDef>,
    pub project: Vec<CustomFieldDef>,
}

impl FieldDefs {
    /// The definitions generated from `seed`.
    pub(crate) fn generated(seed: u64) -> FieldDefs {
        FieldDefs {
            deal: custom_fields::definitions(seed, FieldEntity::Deal),
            person: custom_fields::definitions(seed, FieldEntity::Person),
            organization: custom_fields::definitions(seed, FieldEntity::Organization),
            product: custom_fields::definitions(seed, FieldEntity::Product),
            project: custom_fields::definitions(seed, FieldEntity::Project),
        }
    }
}

impl Dataset {
    pub(crate) fn new(cfg: &SimConfig) -> Dataset {
        let counts = Counts::from_config(cfg);
        let pipelines = pipelines::generate_pipelines(cfg.seed, counts.pipelines);
        let stages = pipelines::generate_stages(cfg.seed, &pipelines, counts.stages_per_pipeline);
        Dataset::assemble(
            cfg.seed,
            counts,
            users::generate_users(cfg.seed, counts.users),
            pipelines,
            stages,
            FieldDefs::generated(cfg.seed),
        )
    }

    /// A dataset with these parts and nothing written yet.
    pub(crate) fn assemble(
        seed: u64,
        counts: Counts,
        users: Vec<User>,
        pipelines: Vec<Pipeline>,
        stages: Vec<Stage>,
        fields: FieldDefs,
    ) -> Dataset {
        Dataset {
            seed,
            counts,
            users: RwLock::new(users),
            pipelines: RwLock::new(pipelines),
            stages: RwLock::new(stages),
            deal_fields: fields.deal,
            person_fields: fields.person,
            organization_fields: fields.organization,
            product_fields: fields.product,
            project_fields: fields.project,
            overlay: Overlay::default(),
            update_time_index: Default::default(),
            records: records::store::RecordStore::new(records::kinds::NAMES),
            followers: followers::FollowerStore::default(),
            file_contents: RwLock::new(BTreeMap::new()),
        }
    }

    pub(crate) fn custom_fields(&self, entity: FieldEntity) -> &[CustomFieldDef] {
        match entity {
            FieldEntity::Deal => &self.deal_fields,
            FieldEntity::Person => &self.person_fields,
            FieldEntity::Organization => &self.organization_fields,
            FieldEntity::Product => &self.product_fields,
            FieldEntity::Project => &self.project_fields,
            // Leads inherit the deal fields.
            FieldEntity::Lead => &self.deal_fields,
            FieldEntity::Activity | FieldEntity::Note => &[],
        }
    }

    /// The seed the data was generated from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    // ----- deals -----

    /// Number of deals, including soft-deleted ones (`status: "deleted"`).
    pub fn deal_count(&self) -> u64 {
        EntityReader::<Deals>::new(self).count()
    }

    /// The deal as `GET /api/v2/deals/{id}` returns it (`data`), deleted
    /// deals included.
    pub fn deal(&self, id: u64) -> Option<Value> {
        let deal = EntityReader::<Deals>::new(self).record(id)?;
        Some(to_value(|out| {
            render::deal::write_deal(out, self, &deal, &View::default())
        }))
    }

    /// Every deal in ascending id order, deleted ones included.
    pub fn deals(&self) -> impl Iterator<Item = Value> + '_ {
        ids_in_order::<Deals>(self).filter_map(move |id| self.deal(id))
    }

    // ----- persons -----

    pub fn person_count(&self) -> u64 {
        EntityReader::<Persons>::new(self).count()
    }

    /// The person as `GET /api/v2/persons/{id}` returns it.
    pub fn person(&self, id: u64) -> Option<Value> {
        let person = EntityReader::<Persons>::new(self).record(id)?;
        Some(to_value(|out| {
            render::person::write_person(out, self, &person, &View::default())
        }))
    }

    pub fn persons(&self) -> impl Iterator<Item = Value> + '_ {
        ids_in_order::<Persons>(self).filter_map(move |id| self.person(id))
    }

    // ----- organizations -----

    pub fn organization_count(&self) -> u64 {
        EntityReader::<Organizations>::new(self).count()
    }

    /// The organization as `GET /api/v2/organizations/{id}` returns it.
    pub fn organization(&self, id: u64) -> Option<Value> {
        let org = EntityReader::<Organizations>::new(self).record(id)?;
        Some(to_value(|out| {
            render::organization::write_organization(out, self, &org, &View::default())
        }))
    }

    pub fn organizations(&self) -> impl Iterator<Item = Value> + '_ {
        ids_in_order::<Organizations>(self).filter_map(move |id| self.organization(id))
    }

    // ----- users, pipelines, stages -----

    pub fn user_count(&self) -> u64 {
        self.users_snapshot().len() as u64
    }

    /// The user as v1 `GET /users/{id}` returns it.
    pub fn user(&self, id: u64) -> Option<Value> {
        let user = self.user_record(id)?;
        Some(to_value(|out| render::user::write_user(out, &user, false)))
    }

    pub fn users(&self) -> Vec<Value> {
        self.users_snapshot()
            .iter()
            .map(|u| to_value(|out| render::user::write_user(out, u, false)))
            .collect()
    }

    /// The token owner as v1 `GET /users/me` returns it.
    pub fn me(&self) -> Value {
        let users = self.users_snapshot();
        to_value(|out| render::user::write_user(out, &users[0], true))
    }

    /// A copy of the users (the lock is not held while rendering).
    pub(crate) fn users_snapshot(&self) -> Vec<User> {
        self.users.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn user_record(&self, id: u64) -> Option<User> {
        let users = self.users.read().unwrap_or_else(|e| e.into_inner());
        users.iter().find(|u| u.id == id).cloned()
    }

    pub(crate) fn user_ids(&self) -> Vec<u64> {
        let users = self.users.read().unwrap_or_else(|e| e.into_inner());
        users.iter().map(|u| u.id).collect()
    }

    /// Every record of a record-shaped entity, by its collection name as
    /// in the path (`activities`, `notes`, `leads`, `leadLabels`,
    /// `products`, `projects`, `tasks`, `files`, `callLogs`, `filters`,
    /// `goals`, `roles`, `webhooks`, `activityTypes`, `currencies`,
    /// `organizationRelationships`, `boards`, `phases`, and the nested
    /// `dealProducts`, `dealParticipants`, `noteComments`), as
    /// `GET /{collection}/{id}` returns them, deleted ones included, in id
    /// order. `None` for an unknown name.
    pub fn records(&self, collection: &str) -> Option<Vec<Value>> {
        records::kinds::all_records(self, collection)
    }

    pub fn pipeline_count(&self) -> u64 {
        self.pipelines_snapshot().len() as u64
    }

    /// The pipeline as `GET /api/v2/pipelines/{id}` returns it (deleted
    /// ones included).
    pub fn pipeline(&self, id: u64) -> Option<Value> {
        let p = self.pipelines_snapshot().into_iter().find(|p| p.id == id)?;
        Some(to_value(|out| render::pipeline::write_pipeline(out, &p)))
    }

    pub fn pipelines(&self) -> Vec<Value> {
        self.pipelines_snapshot()
            .iter()
            .map(|p| to_value(|out| render::pipeline::write_pipeline(out, p)))
            .collect()
    }

    pub fn stage_count(&self) -> u64 {
        self.stages_snapshot().len() as u64
    }

    pub fn stage(&self, id: u64) -> Option<Value> {
        let s = self.stages_snapshot().into_iter().find(|s| s.id == id)?;
        Some(to_value(|out| render::pipeline::write_stage(out, &s)))
    }

    pub fn stages(&self) -> Vec<Value> {
        self.stages_snapshot()
            .iter()
            .map(|s| to_value(|out| render::pipeline::write_stage(out, s)))
            .collect()
    }

    /// Copies of the pipelines and stages (the locks are not held while
    /// serving).
    pub(crate) fn pipelines_snapshot(&self) -> Vec<Pipeline> {
        self.pipelines
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn stages_snapshot(&self) -> Vec<Stage> {
        self.stages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    // ----- field definitions -----

    /// v2 `GET /dealFields` entries (built-in then custom fields).
    pub fn deal_fields(&self) -> Vec<Value> {
        self.fields_v2(FieldEntity::Deal)
    }

    pub fn person_fields(&self) -> Vec<Value> {
        self.fields_v2(FieldEntity::Person)
    }

    pub fn organization_fields(&self) -> Vec<Value> {
        self.fields_v2(FieldEntity::Organization)
    }

    /// `(key, name, field_type)` of each deal custom field, in order.
    pub fn deal_custom_fields(&self) -> Vec<(String, String, &'static str)> {
        custom_summary(&self.deal_fields)
    }

    pub fn person_custom_fields(&self) -> Vec<(String, String, &'static str)> {
        custom_summary(&self.person_fields)
    }

    pub fn organization_custom_fields(&self) -> Vec<(String, String, &'static str)> {
        custom_summary(&self.organization_fields)
    }

    fn fields_v2(&self, entity: FieldEntity) -> Vec<Value> {
        render::field::all_fields(self, entity)
            .iter()
            .map(|f| {
                to_value(|out| {
                    render::field::write_field_v2(out, f, render::field::FieldExtras::default())
                })
            })
            .collect()
    }
}

fn custom_summary(defs: &[CustomFieldDef]) -> Vec<(String, String, &'static str)> {
    defs.iter()
        .map(|d| (d.key.clone(), d.name.to_string(), d.field_type.name()))
        .collect()
}

/// Ids of existing records in ascending order (overlay included).
pub(crate) fn ids_in_order<E: listing::GeneratedEntity>(
    ds: &Dataset,
) -> impl Iterator<Item = u64> + '_ {
    // Collected up front so no overlay lock is held across iteration.
    let mut ids: Vec<u64> = {
        let ov = E::overlay(ds).read().unwrap_or_else(|e| e.into_inner());
        ov.present()
            .map(|(id, _)| id)
            .filter(|&id| id > E::base_count(ds))
            .collect()
    };
    ids.sort_unstable();
    (1..=E::base_count(ds)).chain(ids)
}

fn to_value(write: impl FnOnce(&mut Vec<u8>)) -> Value {
    let mut out = Vec::with_capacity(2048);
    write(&mut out);
    // The writers only emit valid JSON; a failure here is a simulator bug,
    // not bad input, so surface it loudly in tests.
    serde_json::from_slice(&out).expect("simulator produced invalid JSON")
}
