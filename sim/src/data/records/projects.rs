//! Projects (v2 `/projects`) on boards and phases, and their tasks
//! (v2 `/tasks`, three per project, some subtasks).

use super::links::{self, user_exists};
use super::store::RecordReader;
use super::write::{invalid_field, missing_link};
use super::{
    field, filter, key, strict, DeleteStyle, FieldSpec, FieldType, FilterDef, FilterKind, KeyCol,
    KeyFilter, KeyType, Keys, Paging, Record, RecordFilter, RecordKind, TimeFormat,
};
use crate::data::custom_fields::{generate_values, ValueContext};
use crate::data::custom_values;
use crate::data::rng::{Draw, Stream};
use crate::data::{spread_add_time, spread_update_time, Dataset, DATA_NOW};
use crate::errors::ApiError;
use crate::pagination::SortField;
use crate::query::Query;
use crate::time::{self, SECONDS_PER_DAY};
use serde_json::{json, Value};

pub(crate) const TASKS_PER_PROJECT: u64 = 3;
const BOARDS: &[&str] = &["Delivery", "Onboarding 🚀"];
const PHASES: &[&str] = &["Planning", "In progress", "Review", "Done"];
const STATUSES: &[&str] = &["open", "completed", "canceled", "deleted"];

fn object(v: Value) -> Record {
    match v {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

// ----- boards and phases -----

pub(crate) struct Boards;
pub(crate) struct Phases;

fn config_time(id: u64) -> String {
    time::rfc3339_string(time::timestamp(2019, 2, 1, 9, 0, 0) + id as i64 * 3_600)
}

impl RecordKind for Boards {
    const NAME: &'static str = "boards";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;

    fn base_slots(_ds: &Dataset) -> u64 {
        BOARDS.len() as u64
    }

    fn generate(_ds: &Dataset, id: u64) -> Option<Record> {
        let name = BOARDS.get(id as usize - 1)?;
        Some(object(json!({
            "id": id, "name": name, "order_nr": id,
            "add_time": config_time(id), "update_time": config_time(id),
        })))
    }
}

impl RecordKind for Phases {
    const NAME: &'static str = "phases";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("board_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;
    const FILTERS: &'static [FilterDef] = &[filter("board_id", "board_id", FilterKind::Eq)];

    fn base_slots(_ds: &Dataset) -> u64 {
        (BOARDS.len() * PHASES.len()) as u64
    }

    fn generate(_ds: &Dataset, id: u64) -> Option<Record> {
        let per = PHASES.len() as u64;
        let (board, k) = ((id - 1) / per + 1, (id - 1) % per);
        Some(object(json!({
            "id": id, "name": PHASES[k as usize], "board_id": board, "order_nr": k + 1,
            "add_time": config_time(100 + id), "update_time": config_time(100 + id),
        })))
    }

    /// `board_id` is required.
    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        match q.u64("board_id")? {
            Some(_) => Ok(None),
            None => Err(ApiError::invalid_param("board_id", "Required")),
        }
    }
}

// ----- projects -----

pub(crate) struct Projects;

const A_ADD: u64 = 1;
const A_UPDATE: u64 = 2;
const A_OWNER: u64 = 3;
const A_BOARD: u64 = 4;
const A_STATUS: u64 = 6;
const A_DEALS: u64 = 7;
const A_TITLE: u64 = 12;
const A_DATES: u64 = 13;
const A_LABELS: u64 = 15;
const A_HEALTH: u64 = 19;

struct ProjectFacts {
    add_time: i64,
    update_time: i64,
    owner: u64,
    board: u64,
    phase: u64,
    status: usize,
}

fn project_facts(ds: &Dataset, id: u64) -> ProjectFacts {
    let d = Draw::new(ds.seed, Stream::Project, id);
    let add_time = spread_add_time(&d, A_ADD, id, ds.counts.projects);
    let board = 1 + d.below(A_BOARD, BOARDS.len() as u64);
    let per = PHASES.len() as u64;
    let status = match d.below(A_STATUS, 100) {
        0..=59 => 0,
        60..=84 => 1,
        85..=94 => 2,
        _ => 3,
    };
    ProjectFacts {
        update_time: spread_update_time(&d, A_UPDATE, add_time),
        add_time,
        owner: 1 + d.below(A_OWNER, ds.counts.users),
        board,
        phase: (board - 1) * per
            + 1
            + if status == 1 {
                per - 1
            } else {
                d.below(A_BOARD + 1, per)
            },
        status,
    }
}

fn project_record(ds: &Dataset, id: u64) -> Record {
    let d = Draw::new(ds.seed, Stream::Project, id);
    let f = project_facts(ds, id);
    let deals: Vec<u64> = if ds.counts.deals == 0 {
        Vec::new()
    } else {
        (0..d.below(A_DEALS, 3))
            .map(|i| 1 + d.below(A_DEALS + 1 + i, ds.counts.deals))
            .collect()
    };
    let mut persons = Vec::new();
    let mut orgs = Vec::new();
    for &deal in &deals {
        let l = links::on_deal(ds, deal);
        persons.extend(l.person);
        orgs.extend(l.org);
    }
    let (mut deals, mut persons, mut orgs) = (deals, persons, orgs);
    for v in [&mut deals, &mut persons, &mut orgs] {
        v.sort_unstable();
        v.dedup();
    }
    let mut title = String::new();
    match orgs.first() {
        Some(&o) => crate::data::organizations::push_organization_name(&mut title, ds.seed, o),
        None => title.push_str("Internal"),
    }
    title.push_str(" – ");
    title.push_str(d.pick(A_TITLE, super::words::PROJECT_TITLES));
    let start = f.add_time.div_euclid(SECONDS_PER_DAY) + d.range(A_DATES, 0, 20);
    let values = generate_values(
        &ds.project_fields,
        &d,
        &ValueContext {
            users: ds.counts.users,
            add_time: f.add_time,
        },
    );
    object(json!({
        "id": id,
        "title": title,
        "description": d.percent(A_TITLE + 1, 60).then(|| crate::data::text::SENTENCES[d.below(A_TITLE + 2, 12) as usize]),
        "status": STATUSES[f.status],
        "board_id": f.board,
        "phase_id": f.phase,
        "owner_id": f.owner,
        "start_date": time::date_string(start),
        "end_date": d.percent(A_DATES + 1, 70).then(|| time::date_string(start + d.range(A_DATES + 2, 14, 200))),
        "deal_ids": deals,
        "person_ids": persons,
        "org_ids": orgs,
        "label_ids": (1..=3).filter(|l| d.percent(A_LABELS + l, 20)).collect::<Vec<u64>>(),
        "health_status": d.percent(A_HEALTH, 50).then(|| d.range(A_HEALTH + 1, 1, 3)),
        "add_time": time::rfc3339_string(f.add_time),
        "update_time": time::rfc3339_string(f.update_time),
        "status_change_time": time::rfc3339_string(f.update_time),
        "archive_time": null,
        "custom_fields": custom_values::object(&ds.project_fields, &values),
    }))
}

/// `deal_id`, `person_id`, `org_id` match members of the project's arrays.
fn membership_filter(q: &Query) -> Result<Option<RecordFilter>, ApiError> {
    let mut wanted: Vec<(&'static str, u64)> = Vec::new();
    for (param, array) in [
        ("deal_id", "deal_ids"),
        ("person_id", "person_ids"),
        ("org_id", "org_ids"),
    ] {
        if let Some(id) = q.u64(param)? {
            wanted.push((array, id));
        }
    }
    if wanted.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(move |r: &Record| {
        wanted.iter().all(|(array, id)| {
            r.get(*array)
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_u64() == Some(*id)))
        })
    })))
}

impl RecordKind for Projects {
    const NAME: &'static str = "projects";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("owner_id", KeyType::Int),
        key("board_id", KeyType::Int),
        key("phase_id", KeyType::Int),
        key("status", KeyType::Enum(STATUSES)),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Cursor {
        sorts: &[SortField::Id],
    };
    const FILTERS: &'static [FilterDef] = &[filter("phase_id", "phase_id", FilterKind::Eq)];
    const FIELDS: &'static [FieldSpec] = &[
        strict("title", FieldType::Str),
        field("description", FieldType::Str),
        strict(
            "status",
            FieldType::Enum(&["open", "completed", "canceled"]),
        ),
        strict("board_id", FieldType::Int),
        strict("phase_id", FieldType::Int),
        strict("owner_id", FieldType::Int),
        field("start_date", FieldType::Date),
        field("end_date", FieldType::Date),
        strict("deal_ids", FieldType::IntArray),
        strict("person_ids", FieldType::IntArray),
        strict("org_ids", FieldType::IntArray),
        strict("label_ids", FieldType::IntArray),
        field("health_status", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["title"];
    const CREATE_STATUS: u16 = 201;
    const DELETE: DeleteStyle = DeleteStyle::SoftText {
        field: "status",
        value: "deleted",
    };

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.projects
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(project_record(ds, id))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let f = project_facts(ds, id);
        Some(super::keys_from::<Self>(&[
            ("owner_id", Some(f.owner as i64)),
            ("board_id", Some(f.board as i64)),
            ("phase_id", Some(f.phase as i64)),
            ("status", Some(f.status as i64)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
        ]))
    }

    fn is_listed(k: &Keys) -> bool {
        k.get(3) != Some(3)
    }

    /// `status`: a comma list; by default every status but `deleted`.
    fn visibility(q: &Query) -> Result<KeyFilter, ApiError> {
        let Some(items) = q.list("status") else {
            return Ok(Box::new(Self::is_listed));
        };
        let wanted = items
            .iter()
            .map(|s| {
                STATUSES
                    .iter()
                    .position(|n| n == s)
                    .map(|i| i as i64)
                    .ok_or_else(|| {
                        ApiError::invalid_param(
                            "status",
                            "Expected open, completed, canceled or deleted",
                        )
                    })
            })
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(Box::new(move |k: &Keys| {
            k.get(3).is_some_and(|s| wanted.contains(&s))
        }))
    }

    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        membership_filter(q)
    }

    fn blank(ds: &Dataset) -> Record {
        object(json!({
            "title": null, "description": null, "status": "open", "board_id": 1, "phase_id": 1,
            "owner_id": 1, "start_date": null, "end_date": null, "deal_ids": [], "person_ids": [],
            "org_ids": [], "label_ids": [], "health_status": null, "status_change_time": null,
            "archive_time": null,
            "custom_fields": custom_values::object(&ds.project_fields, &[]),
        }))
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        let ids = |name: &str| -> Vec<u64> {
            record
                .get(name)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default()
        };
        for (name, what, exists) in [
            (
                "deal_ids",
                "Deal",
                links::deal_exists as fn(&Dataset, u64) -> bool,
            ),
            ("person_ids", "Person", links::person_exists),
            ("org_ids", "Organization", links::org_exists),
        ] {
            if let Some(missing) = ids(name).into_iter().find(|&id| !exists(ds, id)) {
                return Err(missing_link(name, what, missing));
            }
        }
        let board = record.get("board_id").and_then(Value::as_u64).unwrap_or(0);
        let phase = record.get("phase_id").and_then(Value::as_u64).unwrap_or(0);
        let phase_board = RecordReader::<Phases>::new(ds)
            .record(phase)
            .and_then(|p| p.get("board_id").and_then(Value::as_u64));
        match phase_board {
            None => return Err(missing_link("phase_id", "Phase", phase)),
            Some(b) if body.contains_key("board_id") && b != board => {
                return Err(invalid_field(
                    "phase_id",
                    "The phase belongs to another board",
                ))
            }
            Some(b) => {
                record.insert("board_id".into(), json!(b));
            }
        }
        if let Some(u) = record.get("owner_id").and_then(Value::as_u64) {
            if !user_exists(ds, u) {
                return Err(missing_link("owner_id", "User", u));
            }
        }
        if created || body.contains_key("status") {
            let now = time::rfc3339_string(crate::data::write_clock());
            record.insert("status_change_time".into(), json!(now));
        }
        if let Some(custom) = body.get("custom_fields") {
            let mut values =
                custom_values::from_object(&ds.project_fields, record.get("custom_fields"));
            custom_values::apply(ds, &ds.project_fields, custom, &mut values)
                .map_err(|(f, p)| invalid_field(&f, &p))?;
            record.insert(
                "custom_fields".into(),
                custom_values::object(&ds.project_fields, &values),
            );
        }
        Ok(())
    }
}

pub(crate) fn project_title(ds: &Dataset, id: u64) -> Option<String> {
    RecordReader::<Projects>::new(ds)
        .record(id)
        .and_then(|r| r.get("title").and_then(Value::as_str).map(str::to_string))
}

pub(crate) fn project_exists(ds: &Dataset, id: u64) -> bool {
    RecordReader::<Projects>::new(ds)
        .keys(id)
        .is_some_and(|k| Projects::is_listed(&k))
}

// ----- tasks -----

pub(crate) struct Tasks;

const T_ADD: u64 = 1;
const T_UPDATE: u64 = 2;
const T_DONE: u64 = 3;
const T_MILESTONE: u64 = 4;
const T_PARENT: u64 = 5;
const T_ASSIGNEE: u64 = 6;
const T_TITLE: u64 = 8;
const T_DATES: u64 = 9;
const T_PRIORITY: u64 = 11;

struct TaskFacts {
    project: u64,
    parent: Option<u64>,
    done: bool,
    milestone: bool,
    add_time: i64,
    update_time: i64,
}

fn task_facts(ds: &Dataset, id: u64) -> TaskFacts {
    let d = Draw::new(ds.seed, Stream::Task, id);
    let project = (id - 1) / TASKS_PER_PROJECT + 1;
    let k = (id - 1) % TASKS_PER_PROJECT;
    let p = project_facts(ds, project);
    let add_time = (p.add_time + d.range(T_ADD, 0, 10 * SECONDS_PER_DAY)).min(DATA_NOW);
    TaskFacts {
        project,
        // The last task of a project is sometimes a subtask of the first.
        parent: (k == TASKS_PER_PROJECT - 1 && d.percent(T_PARENT, 40))
            .then(|| (project - 1) * TASKS_PER_PROJECT + 1),
        done: d.percent(T_DONE, if p.status == 1 { 100 } else { 40 }),
        milestone: k == 0 && d.percent(T_MILESTONE, 30),
        update_time: spread_update_time(&d, T_UPDATE, add_time),
        add_time,
    }
}

fn task_record(ds: &Dataset, id: u64) -> Record {
    let d = Draw::new(ds.seed, Stream::Task, id);
    let f = task_facts(ds, id);
    let assignees: Vec<u64> = if d.percent(T_ASSIGNEE, 80) {
        vec![1 + d.below(T_ASSIGNEE + 1, ds.counts.users)]
    } else {
        Vec::new()
    };
    let start = f.add_time.div_euclid(SECONDS_PER_DAY);
    object(json!({
        "id": id,
        "title": d.pick(T_TITLE, super::words::TASK_TITLES),
        "creator_id": project_facts(ds, f.project).owner,
        "description": d.percent(T_TITLE + 1, 40).then_some("See the project plan for details."),
        "project_id": f.project,
        "is_done": f.done,
        "is_milestone": f.milestone,
        "due_date": d.percent(T_DATES, 70).then(|| time::date_string(start + d.range(T_DATES + 1, 3, 60))),
        "start_date": d.percent(T_DATES + 2, 50).then(|| time::date_string(start)),
        "parent_task_id": f.parent,
        "assignee_ids": assignees,
        "priority": d.percent(T_PRIORITY, 40).then(|| d.range(T_PRIORITY + 1, 1, 3)),
        "add_time": time::rfc3339_string(f.add_time),
        "update_time": time::rfc3339_string(f.update_time),
        "marked_as_done_time": f.done.then(|| time::rfc3339_string(f.update_time)),
    }))
}

impl RecordKind for Tasks {
    const NAME: &'static str = "tasks";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("project_id", KeyType::Int),
        key("is_done", KeyType::Bool),
        key("is_milestone", KeyType::Bool),
        key("parent_task_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Cursor {
        sorts: &[SortField::Id],
    };
    const FILTERS: &'static [FilterDef] = &[
        filter("is_done", "is_done", FilterKind::Bool),
        filter("is_milestone", "is_milestone", FilterKind::Bool),
        filter("project_id", "project_id", FilterKind::Eq),
    ];
    const FIELDS: &'static [FieldSpec] = &[
        strict("title", FieldType::Str),
        strict("project_id", FieldType::Int),
        field("parent_task_id", FieldType::Int),
        field("description", FieldType::Str),
        strict("done", FieldType::Flag),
        strict("milestone", FieldType::Flag),
        field("due_date", FieldType::Date),
        field("start_date", FieldType::Date),
        field("assignee_id", FieldType::Int),
        strict("assignee_ids", FieldType::IntArray),
        field("priority", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["title", "project_id"];
    const CREATE_STATUS: u16 = 201;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.tasks
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(task_record(ds, id))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let f = task_facts(ds, id);
        Some(super::keys_from::<Self>(&[
            ("project_id", Some(f.project as i64)),
            ("is_done", Some(f.done as i64)),
            ("is_milestone", Some(f.milestone as i64)),
            ("parent_task_id", f.parent.map(|p| p as i64)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
        ]))
    }

    /// `assignee_id`, and `parent_task_id` (an id, or `null` for root
    /// tasks).
    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        let assignee = q.u64("assignee_id")?;
        let parent: Option<Option<u64>> = match q.get("parent_task_id") {
            None => None,
            Some("null") => Some(None),
            Some(_) => Some(Some(q.u64("parent_task_id")?.unwrap_or(0))),
        };
        if assignee.is_none() && parent.is_none() {
            return Ok(None);
        }
        Ok(Some(Box::new(move |r: &Record| {
            let assignee_ok = assignee.is_none_or(|a| {
                r.get("assignee_ids")
                    .and_then(Value::as_array)
                    .is_some_and(|ids| ids.iter().any(|v| v.as_u64() == Some(a)))
            });
            let parent_ok =
                parent.is_none_or(|p| r.get("parent_task_id").and_then(Value::as_u64) == p);
            assignee_ok && parent_ok
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({
            "title": null, "creator_id": 1, "description": null, "project_id": null,
            "is_done": false, "is_milestone": false, "due_date": null, "start_date": null,
            "parent_task_id": null, "assignee_ids": [], "priority": null,
            "marked_as_done_time": null,
        }))
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        // The write names (`done`, `milestone`, `assignee_id`) map onto the
        // record's (`is_done`, `is_milestone`, `assignee_ids`).
        if let Some(done) = record.remove("done") {
            let done = done.as_bool().unwrap_or(false);
            record.insert("is_done".into(), json!(done));
            let stamp = done.then(|| json!(time::rfc3339_string(crate::data::write_clock())));
            record.insert("marked_as_done_time".into(), stamp.unwrap_or(Value::Null));
        }
        if let Some(m) = record.remove("milestone") {
            record.insert("is_milestone".into(), json!(m.as_bool().unwrap_or(false)));
        }
        if let Some(a) = record.remove("assignee_id") {
            if !body.contains_key("assignee_ids") {
                let ids: Vec<Value> = a.as_u64().map(Value::from).into_iter().collect();
                record.insert("assignee_ids".into(), Value::Array(ids));
            }
        }
        let project = record
            .get("project_id")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if !project_exists(ds, project) {
            return Err(missing_link("project_id", "Project", project));
        }
        if let Some(parent) = record.get("parent_task_id").and_then(Value::as_u64) {
            let parent_project = RecordReader::<Tasks>::new(ds)
                .record(parent)
                .and_then(|t| t.get("project_id").and_then(Value::as_u64));
            match parent_project {
                None => return Err(missing_link("parent_task_id", "Task", parent)),
                Some(p) if p != project => {
                    return Err(invalid_field(
                        "parent_task_id",
                        "The parent task belongs to another project",
                    ))
                }
                Some(_) if record.get("id").and_then(Value::as_u64) == Some(parent) => {
                    return Err(invalid_field(
                        "parent_task_id",
                        "A task cannot be its own parent",
                    ))
                }
                Some(_) => {}
            }
        }
        let assignees = record
            .get("assignee_ids")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(u) = assignees
            .iter()
            .filter_map(Value::as_u64)
            .find(|&u| !user_exists(ds, u))
        {
            return Err(missing_link("assignee_ids", "User", u));
        }
        Ok(())
    }

    /// "If the task has subtasks, those will also be deleted."
    fn after_delete(ds: &Dataset, id: u64) {
        let children: Vec<u64> = RecordReader::<Tasks>::new(ds)
            .all()
            .into_iter()
            .filter(|(_, t)| t.get("parent_task_id").and_then(Value::as_u64) == Some(id))
            .map(|(child, _)| child)
            .collect();
        let mut overlay = ds.records.write::<Tasks>();
        for child in children {
            overlay.slots.remove(child);
        }
    }
}

pub(crate) fn task_title(ds: &Dataset, id: u64) -> Option<String> {
    RecordReader::<Tasks>::new(ds)
        .record(id)
        .and_then(|r| r.get("title").and_then(Value::as_str).map(str::to_string))
}

pub(crate) fn task_exists(ds: &Dataset, id: u64) -> bool {
    RecordReader::<Tasks>::new(ds).keys(id).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::records::keys_of;

    #[test]
    fn fast_keys_match_the_records() {
        let ds = Dataset::new(&SimConfig::default());
        for id in 1..=ds.counts.projects {
            let r = Projects::generate(&ds, id).unwrap();
            assert_eq!(
                Projects::fast_keys(&ds, id),
                Some(keys_of::<Projects>(&ds, &r))
            );
        }
        for id in 1..=ds.counts.tasks {
            let r = Tasks::generate(&ds, id).unwrap();
            assert_eq!(Tasks::fast_keys(&ds, id), Some(keys_of::<Tasks>(&ds, &r)));
        }
    }
}
