//! Dataset files: saving (changes only, or every record), loading them
//! back, byte-identical round trips, ids after a load, persistence of
//! writes with `save_to`, and clear errors for bad files.

mod write_support;

use pipedrive_sim::{SaveMode, SimConfig, Simulator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use write_support::*;

/// A fresh directory per test, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "pipedrive-sim-dataset-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const COLLECTIONS: &[&str] = &[
    "activities",
    "activityTypes",
    "boards",
    "callLogs",
    "currencies",
    "dealParticipants",
    "dealProducts",
    "files",
    "filters",
    "goals",
    "leadLabels",
    "leads",
    "noteComments",
    "notes",
    "organizationRelationships",
    "phases",
    "products",
    "projects",
    "roles",
    "tasks",
    "webhooks",
];

/// Everything the dataset serves, by brute force.
fn everything(sim: &Simulator) -> Vec<(String, Vec<Value>)> {
    let ds = sim.dataset();
    let mut all = vec![
        ("deals".to_string(), ds.deals().collect()),
        ("persons".to_string(), ds.persons().collect()),
        ("organizations".to_string(), ds.organizations().collect()),
        ("users".to_string(), ds.users()),
        ("pipelines".to_string(), ds.pipelines()),
        ("stages".to_string(), ds.stages()),
        ("dealFields".to_string(), ds.deal_fields()),
        ("personFields".to_string(), ds.person_fields()),
        ("organizationFields".to_string(), ds.organization_fields()),
    ];
    for name in COLLECTIONS {
        all.push((name.to_string(), ds.records(name).unwrap()));
    }
    all
}

fn assert_same_data(a: &Simulator, b: &Simulator) {
    for ((name, x), (_, y)) in everything(a).iter().zip(everything(b).iter()) {
        assert_eq!(x.len(), y.len(), "{name}: record count");
        for (r, s) in x.iter().zip(y) {
            assert_eq!(r, s, "{name}");
        }
    }
}

fn start_from(path: &Path) -> Simulator {
    Simulator::start(SimConfig {
        data_file: Some(path.to_path_buf()),
        ..SimConfig::default()
    })
    .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

fn small() -> SimConfig {
    SimConfig {
        deals: 60,
        persons: 30,
        organizations: 12,
        ..SimConfig::default()
    }
}

/// Writes of every kind: creates, updates, soft and hard deletes,
/// followers, users, pipelines.
fn write_a_bit_of_everything(sim: &Simulator) -> (u64, String) {
    let deal = ok(
        sim,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "Saved – ünïcode 日本", "value": 12.5, "currency": "EUR"})),
        200,
    );
    ok(
        sim,
        "PATCH",
        "/api/v2/deals/5",
        Some(&json!({"title": "Changed", "value": 1234.56})),
        200,
    );
    ok(sim, "DELETE", "/api/v2/deals/6", None, 200);
    ok(sim, "DELETE", "/api/v2/persons/3", None, 200);
    ok(
        sim,
        "POST",
        "/api/v2/organizations",
        Some(&json!({"name": "Loaded Org"})),
        200,
    );
    ok(
        sim,
        "POST",
        "/api/v2/activities",
        Some(&json!({"subject": "Call back", "deal_id": 2})),
        200,
    );
    let note_id = sim.dataset().records("notes").unwrap()[0]["id"]
        .as_u64()
        .unwrap();
    ok(sim, "DELETE", &format!("/v1/notes/{note_id}"), None, 200);
    let lead = sim.dataset().records("leads").unwrap()[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(sim, "DELETE", &format!("/v1/leads/{lead}"), None, 200);
    let following = get_data(sim, "/api/v2/deals/1/followers");
    let new_follower = (1..=sim.dataset().user_count())
        .find(|u| {
            following
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["user_id"] != *u)
        })
        .expect("a user who does not follow deal 1");
    ok(
        sim,
        "POST",
        "/api/v2/deals/1/followers",
        Some(&json!({ "user_id": new_follower })),
        201,
    );
    ok(
        sim,
        "POST",
        "/api/v2/pipelines",
        Some(&json!({"name": "Loaded pipeline"})),
        200,
    );
    (deal["id"].as_u64().unwrap(), lead)
}

#[test]
fn changes_round_trip_byte_for_byte_and_serve_the_same_data() {
    let dir = TempDir::new("changes");
    let original = Simulator::start(small()).unwrap();
    let (deal_id, deleted_lead) = write_a_bit_of_everything(&original);
    let first = dir.file("first.json");
    original.save_dataset(&first, SaveMode::Changes).unwrap();

    let loaded = start_from(&first);
    assert_same_data(&original, &loaded);
    let second = dir.file("second.json");
    loaded.save_dataset(&second, SaveMode::Changes).unwrap();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
        "save -> load -> save changed the file"
    );
    // Only what changed is stored: the created deal, not the generated ones.
    let saved: Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    let deal_ids: Vec<u64> = saved["deals"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_u64().unwrap())
        .collect();
    assert_eq!(deal_ids, [5, 6, deal_id]);
    assert_eq!(saved["generated"]["deals"], 60);
    // Hard deletes stay deleted.
    let lead = send(&loaded, "GET", &format!("/v1/leads/{deleted_lead}"), None);
    assert_eq!(lead.status, 404);
    // Both hand out the same next ids.
    for sim in [&original, &loaded] {
        let next = ok(
            sim,
            "POST",
            "/api/v2/deals",
            Some(&json!({"title": "n"})),
            200,
        );
        assert_eq!(next["id"], deal_id + 1);
        let act = ok(
            sim,
            "POST",
            "/api/v2/activities",
            Some(&json!({"subject": "n"})),
            200,
        );
        assert_eq!(
            act["id"].as_u64().unwrap(),
            sim.dataset().records("activities").unwrap().len() as u64
        );
    }
    assert_eq!(
        dir.entries(),
        ["first.json", "second.json"],
        "no temporary files"
    );
}

#[test]
fn full_files_hold_every_record_and_round_trip() {
    let dir = TempDir::new("full");
    let original = Simulator::start(small()).unwrap();
    write_a_bit_of_everything(&original);
    let first = dir.file("full.json");
    original.save_dataset(&first, SaveMode::Full).unwrap();
    let saved: Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    assert_eq!(
        saved["generated"]["deals"], 0,
        "nothing left to the generator"
    );
    assert_eq!(
        saved["deals"]["records"].as_array().unwrap().len() as u64,
        original.dataset().deal_count()
    );

    let loaded = start_from(&first);
    assert_same_data(&original, &loaded);
    let again = dir.file("again.json");
    loaded.save_dataset(&again, SaveMode::Full).unwrap();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&again).unwrap()
    );
    // Lists, filters and followers work on loaded records as on generated ones.
    let (open, _) = all_v2(&loaded, "/api/v2/deals?status=open&sort_by=update_time");
    let (want, _) = all_v2(&original, "/api/v2/deals?status=open&sort_by=update_time");
    assert_eq!(open, want);
    assert_eq!(
        get_data(&loaded, "/api/v2/deals/1/followers"),
        get_data(&original, "/api/v2/deals/1/followers")
    );
    let next = ok(
        &loaded,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "n"})),
        200,
    );
    let want = ok(
        &original,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "n"})),
        200,
    );
    assert_eq!(next["id"], want["id"]);
}

#[test]
fn save_to_persists_every_write() {
    let dir = TempDir::new("persist");
    let path = dir.file("company.json");
    let sim = Simulator::start(SimConfig {
        save_to: Some(path.clone()),
        ..small()
    })
    .unwrap();
    assert!(!path.exists(), "nothing is saved before a write");
    let created = ok(
        &sim,
        "POST",
        "/api/v2/persons",
        Some(&json!({"name": "Kept"})),
        200,
    );
    let refused = send(&sim, "POST", "/api/v2/persons", Some(&json!({"name": 5})));
    assert_eq!(refused.status, 400);
    drop(sim);

    let resumed = Simulator::start(SimConfig {
        data_file: Some(path.clone()),
        save_to: Some(path.clone()),
        ..SimConfig::default()
    })
    .unwrap();
    let id = created["id"].as_u64().unwrap();
    assert_eq!(
        get_data(&resumed, &format!("/api/v2/persons/{id}"))["name"],
        "Kept"
    );
    ok(
        &resumed,
        "PATCH",
        &format!("/api/v2/persons/{id}"),
        Some(&json!({"name": "Again"})),
        200,
    );
    let reloaded = start_from(&path);
    assert_eq!(reloaded.dataset().person(id).unwrap()["name"], "Again");
    // The introspection endpoints serve and save the same file.
    let served = get_raw(&resumed, "/__sim/dataset");
    assert_eq!(served, std::fs::read(&path).unwrap());
    let saved = send(&resumed, "POST", "/__sim/dataset/save", None);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(dir.entries(), ["company.json"]);
}

fn get_raw(sim: &Simulator, path: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        panic!("chunked answers are not expected here");
    }
    body
}

#[test]
fn hand_written_files_need_only_what_they_use() {
    let dir = TempDir::new("hand");
    let path = dir.file("tiny.json");
    let file = json!({
        "format": "pipedrive-sim-dataset",
        "version": 1,
        "seed": 7,
        "generated": {
            "deals": 0, "persons": 0, "organizations": 0, "users": 1, "pipelines": 1,
            "stages_per_pipeline": 2, "activities": 0, "notes": 0, "products": 0,
            "leads": 0, "projects": 0, "tasks": 0, "files": 0, "call_logs": 0
        },
        "deals": {"records": [{
            "id": 10, "title": "Only deal", "owner_id": 1, "pipeline_id": 1, "stage_id": 2,
            "status": "won", "add_time": "2025-03-01T10:00:00Z",
            "update_time": "2025-03-02T10:00:00Z", "value": 99.5, "currency": "USD"
        }]}
    });
    std::fs::write(&path, file.to_string()).unwrap();
    let sim = start_from(&path);
    let deals: Vec<Value> = sim.dataset().deals().collect();
    assert_eq!(deals.len(), 1);
    assert_eq!(deals[0]["title"], "Only deal");
    assert_eq!(deals[0]["value"], 99.5);
    let (listed, _) = all_v2(&sim, "/api/v2/deals?status=won");
    assert_eq!(listed, deals);
    let next = ok(
        &sim,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "n"})),
        200,
    );
    assert_eq!(next["id"], 11);
    assert_eq!(
        sim.dataset().records("activities").unwrap(),
        Vec::<Value>::new()
    );
}

#[test]
fn bad_files_are_refused_with_the_place_of_the_problem() {
    let dir = TempDir::new("bad");
    let original = Simulator::start(small()).unwrap();
    write_a_bit_of_everything(&original);
    let good_path = dir.file("good.json");
    original
        .save_dataset(&good_path, SaveMode::Changes)
        .unwrap();
    let good: Value = serde_json::from_slice(&std::fs::read(&good_path).unwrap()).unwrap();

    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("{\"format\": ".to_string(), "not a JSON document"),
        ("[1, 2]".to_string(), "expected an object"),
        (
            edit(&|v| v["format"] = json!("other")),
            "not a pipedrive-sim-dataset file",
        ),
        (
            edit(&|v| v["version"] = json!(99)),
            "version 99 is not supported",
        ),
        (
            edit(&|v| v["deals"]["records"][0]["title"] = json!(5)),
            "deals.records[0].title: expected a string",
        ),
        (
            edit(&|v| v["deals"]["records"][1]["status"] = json!("maybe")),
            "deals.records[1].status",
        ),
        (
            edit(&|v| v["deals"]["records"][0]["add_time"] = json!("yesterday")),
            "deals.records[0].add_time",
        ),
        (
            edit(&|v| v["deals"]["records"][0]["custom_fields"]["nope"] = json!(1)),
            "deals.records[0].custom_fields.nope: no custom field definition",
        ),
        (
            edit(&|v| v["deals"]["next_id"] = json!(2)),
            "deals.next_id: must be above",
        ),
        (
            edit(&|v| v["generated"]["users"] = json!(0)),
            "generated.users: at least 1",
        ),
        (
            edit(&|v| {
                v["generated"].as_object_mut().unwrap().remove("notes");
            }),
            "generated.notes: missing",
        ),
        (
            edit(&|v| v["collections"]["nonsense"] = json!({})),
            "collections.nonsense: no such collection",
        ),
        (
            edit(&|v| v["collections"]["leads"]["records"] = json!([{"id": "not-a-uuid"}])),
            "collections.leads.records[0].id",
        ),
        (edit(&|v| v["users"] = json!([])), "user 1"),
        (
            edit(&|v| v["file_contents"] = json!([{"id": 1, "base64url": "!!"}])),
            "file_contents[0].base64url",
        ),
    ];
    for (i, (text, wanted)) in cases.iter().enumerate() {
        let path = dir.file(&format!("bad{i}.json"));
        std::fs::write(&path, text).unwrap();
        let err = Simulator::start(SimConfig {
            data_file: Some(path.clone()),
            ..SimConfig::default()
        })
        .err()
        .unwrap_or_else(|| panic!("case {i} ({wanted}) was accepted"));
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "case {i}");
        let message = err.to_string();
        assert!(message.contains(wanted), "case {i}: {message}");
        assert!(
            message.contains(&path.display().to_string()),
            "case {i}: {message}"
        );
    }
    let missing = Simulator::start(SimConfig {
        data_file: Some(dir.file("absent.json")),
        ..SimConfig::default()
    })
    .err()
    .expect("a missing file is refused");
    assert!(missing.to_string().contains("cannot read"), "{missing}");
}
