//! Dataset files: the whole simulated company saved as one JSON document
//! and loaded back, so a run can start from a saved (or hand-written)
//! dataset instead of the generator and writes can outlive the process.
//!
//! The format is described in `sim/README.md` ("Dataset files"). In short:
//! `seed` and `generated` say which records the generator computes (ids
//! `1..=N` of each entity); every other section lists records that replace
//! or extend them, in the shape the API returns them, plus the ids deleted
//! for good and the next id a create takes. Saving writes sections in a
//! fixed order with records in id order, so save → load → save gives the
//! same bytes.

mod collections;
mod reader;
mod typed;

use super::custom_fields::{definitions, CustomFieldDef, FieldEntity};
use super::followers::{Followed, Follower};
use super::listing::{Deals, EntityReader, GeneratedEntity, Organizations, Persons};
use super::pipelines::{generate_pipelines, generate_stages};
use super::{ids_in_order, Counts, Dataset, FieldDefs};
use crate::base64url;
use crate::config::SimConfig;
use crate::render::{self, View};
use crate::time;
use reader::Obj;
use serde_json::{json, Value};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub(crate) const FORMAT: &str = "pipedrive-sim-dataset";
pub(crate) const VERSION: u64 = 1;

/// What a saved dataset file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SaveMode {
    /// The seed, the generated counts and only what writes changed: small,
    /// and loading it regenerates the rest (the default).
    #[default]
    Changes,
    /// Every record written out and no generated records: the file alone
    /// is the dataset (larger; meant for editing or for small datasets).
    Full,
}

/// `(name in the file, field)` of each generated count.
fn count_fields(c: &mut Counts) -> [(&'static str, &mut u64); 14] {
    [
        ("deals", &mut c.deals),
        ("persons", &mut c.persons),
        ("organizations", &mut c.organizations),
        ("users", &mut c.users),
        ("pipelines", &mut c.pipelines),
        ("stages_per_pipeline", &mut c.stages_per_pipeline),
        ("activities", &mut c.activities),
        ("notes", &mut c.notes),
        ("products", &mut c.products),
        ("leads", &mut c.leads),
        ("projects", &mut c.projects),
        ("tasks", &mut c.tasks),
        ("files", &mut c.files),
        ("call_logs", &mut c.call_logs),
    ]
}

const FIELD_ENTITIES: [(&str, FieldEntity); 5] = [
    ("deal", FieldEntity::Deal),
    ("person", FieldEntity::Person),
    ("organization", FieldEntity::Organization),
    ("product", FieldEntity::Product),
    ("project", FieldEntity::Project),
];

const FOLLOWED: [(&str, Followed); 4] = [
    ("deal", Followed::Deal),
    ("person", Followed::Person),
    ("organization", Followed::Organization),
    ("product", Followed::Product),
];

// ----- saving -----

/// Writes one section: `"name": {"next_id": N, "deleted_ids": [...],
/// "records": [` one record per line `]}`.
pub(crate) fn write_section(
    out: &mut dyn Write,
    name: &str,
    next_id: u64,
    deleted: &[u64],
    records: impl Iterator<Item = Vec<u8>>,
) -> io::Result<()> {
    write!(
        out,
        "{}: {{\"next_id\": {next_id}, \"deleted_ids\": {}, \"records\": [",
        json!(name),
        json!(deleted)
    )?;
    let mut first = true;
    for record in records {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        out.write_all(&record)?;
        first = false;
    }
    out.write_all(if first { b"]}" } else { b"\n]}" })
}

fn write_list(out: &mut dyn Write, name: &str, items: &[Value]) -> io::Result<()> {
    write!(out, "{}: [", json!(name))?;
    for (i, item) in items.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, item)?;
    }
    out.write_all(if items.is_empty() { b"]" } else { b"\n]" })
}

fn to_bytes(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write(&mut out);
    out
}

/// One of deals, persons, organizations: in `Changes` mode the overlay's
/// records, in `Full` mode every record.
fn save_generated<E: GeneratedEntity>(
    ds: &Dataset,
    mode: SaveMode,
    name: &str,
    render: impl Fn(&E::Record) -> Vec<u8>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (deleted, next_id, changed) = {
        let overlay = E::overlay(ds).read().unwrap_or_else(|e| e.into_inner());
        let slots = overlay.slots_in_order();
        let deleted: Vec<u64> = slots
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(id, _)| *id)
            .collect();
        let next_id = E::base_count(ds).max(overlay.max_id()) + 1;
        let changed: Vec<Vec<u8>> = match mode {
            SaveMode::Changes => slots.iter().filter_map(|(_, s)| s.map(&render)).collect(),
            SaveMode::Full => Vec::new(),
        };
        (deleted, next_id, changed)
    };
    match mode {
        SaveMode::Changes => write_section(out, name, next_id, &deleted, changed.into_iter()),
        SaveMode::Full => {
            let reader = EntityReader::<E>::new(ds);
            let ids: Vec<u64> = ids_in_order::<E>(ds).collect();
            let records = ids
                .into_iter()
                .filter_map(|id| reader.record(id))
                .map(|r| render(&r));
            write_section(out, name, next_id, &deleted, records)
        }
    }
}

fn followers_json(kind: &str, id: u64, list: &[Follower]) -> Value {
    json!({
        "entity": kind,
        "id": id,
        "followers": list.iter().map(|f| json!({
            "user_id": f.user_id,
            "add_time": time::rfc3339_string(f.add_time),
        })).collect::<Vec<_>>(),
    })
}

fn follower_entries(ds: &Dataset, mode: SaveMode) -> Vec<Value> {
    let name_of = |kind: Followed| {
        FOLLOWED
            .iter()
            .find(|(_, k)| *k == kind)
            .map_or("deal", |(n, _)| *n)
    };
    match mode {
        SaveMode::Changes => ds
            .followers
            .written_lists()
            .iter()
            .map(|((kind, id), list)| followers_json(name_of(*kind), *id, list))
            .collect(),
        SaveMode::Full => {
            let mut ids: Vec<(Followed, Vec<u64>)> = vec![
                (Followed::Deal, ids_in_order::<Deals>(ds).collect()),
                (Followed::Person, ids_in_order::<Persons>(ds).collect()),
                (
                    Followed::Organization,
                    ids_in_order::<Organizations>(ds).collect(),
                ),
            ];
            let products = ds.records("products").unwrap_or_default();
            ids.push((
                Followed::Product,
                products
                    .iter()
                    .filter_map(|p| p.get("id").and_then(Value::as_u64))
                    .collect(),
            ));
            let mut entries = Vec::new();
            for (kind, ids) in ids {
                for id in ids {
                    let list = ds.followers.list(ds, kind, id);
                    if !list.is_empty() {
                        entries.push(followers_json(name_of(kind), id, &list));
                    }
                }
            }
            entries
        }
    }
}

/// Writes the dataset as a dataset file.
pub(crate) fn write_dataset(ds: &Dataset, mode: SaveMode, out: &mut dyn Write) -> io::Result<()> {
    let mut counts = ds.counts;
    if mode == SaveMode::Full {
        for (name, n) in count_fields(&mut counts) {
            if !matches!(name, "users" | "pipelines" | "stages_per_pipeline") {
                *n = 0;
            }
        }
    }
    let generated: serde_json::Map<String, Value> = count_fields(&mut counts)
        .into_iter()
        .map(|(name, n)| (name.to_string(), json!(*n)))
        .collect();
    let custom: serde_json::Map<String, Value> = FIELD_ENTITIES
        .iter()
        .map(|(name, entity)| {
            let defs: Vec<Value> = ds
                .custom_fields(*entity)
                .iter()
                .map(typed::custom_field_json)
                .collect();
            (name.to_string(), Value::Array(defs))
        })
        .collect();
    writeln!(
        out,
        "{{\"format\": {}, \"version\": {VERSION},",
        json!(FORMAT)
    )?;
    writeln!(out, "\"seed\": {},", ds.seed)?;
    writeln!(out, "\"generated\": {},", Value::Object(generated))?;
    writeln!(out, "\"custom_fields\": {},", Value::Object(custom))?;
    write_list(out, "users", &ds.users())?;
    out.write_all(b",\n")?;
    write_list(out, "pipelines", &ds.pipelines())?;
    out.write_all(b",\n")?;
    write_list(out, "stages", &ds.stages())?;
    out.write_all(b",\n")?;
    let view = View::default();
    save_generated::<Deals>(
        ds,
        mode,
        "deals",
        |d| to_bytes(|o| render::deal::write_deal(o, ds, d, &view)),
        out,
    )?;
    out.write_all(b",\n")?;
    save_generated::<Persons>(
        ds,
        mode,
        "persons",
        |p| to_bytes(|o| render::person::write_person(o, ds, p, &view)),
        out,
    )?;
    out.write_all(b",\n")?;
    save_generated::<Organizations>(
        ds,
        mode,
        "organizations",
        |r| to_bytes(|o| render::organization::write_organization(o, ds, r, &view)),
        out,
    )?;
    out.write_all(b",\n\"collections\": {\n")?;
    for (i, kind) in collections::kinds().iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        (kind.save)(ds, mode, out)?;
    }
    out.write_all(b"},\n")?;
    write_list(out, "followers", &follower_entries(ds, mode))?;
    out.write_all(b",\n")?;
    let contents: Vec<Value> = ds
        .file_contents
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(id, bytes)| json!({"id": id, "base64url": base64url::encode(bytes)}))
        .collect();
    write_list(out, "file_contents", &contents)?;
    out.write_all(b"}\n")
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Saves the dataset to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over `path`, so `path` always
/// holds a whole dataset (the old one or the new one).
pub(crate) fn save(ds: &Dataset, mode: SaveMode, path: &Path) -> io::Result<()> {
    let mut tmp_name = path
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a file path", path.display()),
            )
        })?
        .to_os_string();
    tmp_name.push(format!(
        ".tmp{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = path.with_file_name(tmp_name);
    let written = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write_dataset(ds, mode, &mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

// ----- loading -----

fn counts(o: &Obj) -> Result<Counts, String> {
    let g = o.obj("generated")?;
    let mut counts = Counts::from_config(&SimConfig::default());
    for (name, n) in count_fields(&mut counts) {
        *n = g.u64(name)?;
        let max = match name {
            "users" | "pipelines" | "stages_per_pipeline" => 10_000,
            _ => SimConfig::MAX_RECORDS,
        };
        if *n > max {
            return Err(g.err(name, &format!("at most {max} are supported")));
        }
        if *n == 0 && matches!(name, "users" | "pipelines" | "stages_per_pipeline") {
            return Err(g.err(name, "at least 1 is required"));
        }
    }
    if counts.tasks > counts.projects.saturating_mul(3) {
        return Err(g.err("tasks", "at most three per generated project"));
    }
    Ok(counts)
}

fn field_defs(o: &Obj, seed: u64) -> Result<FieldDefs, String> {
    let custom = o.opt_obj("custom_fields")?;
    let mut parsed = Vec::new();
    for (name, entity) in FIELD_ENTITIES {
        let seeded = definitions(seed, entity);
        let defs = match &custom {
            Some(c) if c.get(name).is_some() => {
                let defs = c
                    .objects(name)?
                    .iter()
                    .map(|d| typed::custom_field(d, &seeded))
                    .collect::<Result<Vec<CustomFieldDef>, String>>()?;
                for (i, d) in defs.iter().enumerate() {
                    if defs[..i].iter().any(|e| e.key == d.key) {
                        return Err(format!(
                            "{}.{name}[{i}].key: {} is defined twice",
                            c.path(),
                            d.key
                        ));
                    }
                }
                defs
            }
            _ => seeded,
        };
        parsed.push(defs);
    }
    let mut it = parsed.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(FieldDefs {
        deal: next(),
        person: next(),
        organization: next(),
        product: next(),
        project: next(),
    })
}

fn load_generated<E: GeneratedEntity>(
    ds: &Dataset,
    root: &Obj,
    name: &str,
    parse: impl Fn(&Obj) -> Result<E::Record, String>,
    id_of: impl Fn(&E::Record) -> u64,
) -> Result<(), String> {
    let Some(section) = root.opt_obj(name)? else {
        return Ok(());
    };
    let mut overlay = E::overlay(ds).write().unwrap_or_else(|e| e.into_inner());
    for record in section.objects("records")? {
        let parsed = parse(&record)?;
        let id = id_of(&parsed);
        if id == 0 {
            return Err(record.err("id", "ids start at 1"));
        }
        if overlay.contains(id) {
            return Err(record.err("id", &format!("{id} is listed twice")));
        }
        overlay.put(id, parsed);
    }
    for (i, id) in section.u64_list("deleted_ids")?.into_iter().enumerate() {
        if overlay.contains(id) {
            return Err(section.err(
                &format!("deleted_ids[{i}]"),
                &format!("{id} is also in records"),
            ));
        }
        overlay.remove(id);
    }
    if let Some(next) = section.opt_u64("next_id")? {
        let highest = overlay.max_id();
        if next <= highest {
            return Err(section.err(
                "next_id",
                &format!("must be above every id in the section ({highest})"),
            ));
        }
        overlay.reserve_through(next - 1);
    }
    Ok(())
}

fn load_followers(ds: &Dataset, root: &Obj) -> Result<(), String> {
    for entry in root.objects("followers")? {
        let kind_name = entry.str("entity")?;
        let kind = FOLLOWED
            .iter()
            .find(|(n, _)| *n == kind_name)
            .map(|(_, k)| *k)
            .ok_or_else(|| entry.err("entity", "expected deal, person, organization or product"))?;
        let list = entry
            .objects("followers")?
            .iter()
            .map(|f| {
                Ok(Follower {
                    user_id: f.u64("user_id")?,
                    add_time: f.time("add_time")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        ds.followers.restore(kind, entry.u64("id")?, list);
    }
    Ok(())
}

fn load_file_contents(ds: &Dataset, root: &Obj) -> Result<(), String> {
    let mut contents = ds.file_contents.write().unwrap_or_else(|e| e.into_inner());
    for entry in root.objects("file_contents")? {
        let bytes = base64url::decode(entry.str("base64url")?)
            .ok_or_else(|| entry.err("base64url", "not unpadded base64url"))?;
        contents.insert(entry.u64("id")?, Arc::new(bytes));
    }
    Ok(())
}

/// A dataset from the text of a dataset file; the problem, naming where
/// in the file it is, otherwise.
pub(crate) fn read_dataset(bytes: &[u8]) -> Result<Dataset, String> {
    let root: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not a JSON document: {e}"))?;
    let o = Obj::new(&root, "")?;
    if o.opt_str("format")? != Some(FORMAT) {
        return Err(format!(
            "not a {FORMAT} file (its \"format\" member must say so)"
        ));
    }
    let version = o.u64("version")?;
    if version != VERSION {
        return Err(format!(
            "version {version} is not supported (this simulator reads version {VERSION})"
        ));
    }
    let seed = o.u64("seed")?;
    let counts = counts(&o)?;
    let fields = field_defs(&o, seed)?;
    let mut users = match o.get("users") {
        Some(_) => o
            .objects("users")?
            .iter()
            .map(typed::user)
            .collect::<Result<Vec<_>, String>>()?,
        None => super::users::generate_users(seed, counts.users),
    };
    users.sort_by_key(|u| u.id);
    if users.first().map(|u| u.id) != Some(1) {
        return Err("users: user 1 (the owner of the API token) is required".to_string());
    }
    if users.windows(2).any(|w| w[0].id == w[1].id) {
        return Err("users: an id is listed twice".to_string());
    }
    let pipelines = match o.get("pipelines") {
        Some(_) => o
            .objects("pipelines")?
            .iter()
            .map(typed::pipeline)
            .collect::<Result<Vec<_>, String>>()?,
        None => generate_pipelines(seed, counts.pipelines),
    };
    let stages = match o.get("stages") {
        Some(_) => o
            .objects("stages")?
            .iter()
            .map(typed::stage)
            .collect::<Result<Vec<_>, String>>()?,
        None => generate_stages(seed, &pipelines, counts.stages_per_pipeline),
    };
    if let Some(s) = stages
        .iter()
        .find(|s| pipelines.iter().all(|p| p.id != s.pipeline_id))
    {
        return Err(format!(
            "stages: stage {} names pipeline {}, which is not in pipelines",
            s.id, s.pipeline_id
        ));
    }
    let ds = Dataset::assemble(seed, counts, users, pipelines, stages, fields);
    load_generated::<Deals>(
        &ds,
        &o,
        "deals",
        |r| typed::deal(r, &ds.deal_fields),
        |d| d.keys.id,
    )?;
    load_generated::<Persons>(
        &ds,
        &o,
        "persons",
        |r| typed::person(r, &ds.person_fields),
        |p| p.keys.id,
    )?;
    load_generated::<Organizations>(
        &ds,
        &o,
        "organizations",
        |r| typed::organization(r, &ds.organization_fields),
        |g| g.keys.id,
    )?;
    if let Some(sections) = o.opt_obj("collections")? {
        let kinds = collections::kinds();
        for name in sections.keys() {
            let kind = kinds
                .iter()
                .find(|k| k.name == name.as_str())
                .ok_or_else(|| sections.err(name, "no such collection"))?;
            (kind.load)(&ds, &sections.obj(name)?)?;
        }
    }
    load_followers(&ds, &o)?;
    load_file_contents(&ds, &o)?;
    Ok(ds)
}

/// Loads a dataset file.
pub(crate) fn load(path: &Path) -> Result<Dataset, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    read_dataset(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}
