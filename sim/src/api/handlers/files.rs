//! Files (v1) beyond metadata CRUD: uploads (`POST /files`,
//! multipart/form-data), downloads (`GET /files/{id}/download`), Google
//! Drive files (`POST /files/remote`, `/files/remoteLink`) and the files
//! of a deal, person, organization or product.
//!
//! Uploaded bytes are kept (and saved in dataset files); a generated file
//! has metadata only, so its download is placeholder text of its
//! `file_size`, the same on every request.

use super::super::envelope::single;
use super::super::params::path_id;
use super::super::{Call, Reply};
use super::records::{existing, list_scoped, write_record};
use crate::data::followers::product_exists;
use crate::data::records::activities::Activities;
use crate::data::records::files::Files;
use crate::data::records::leads::Leads;
use crate::data::records::links::{
    deal_exists, deal_title, org_exists, org_name, person_exists, person_name,
};
use crate::data::records::products::Products;
use crate::data::records::projects::Projects;
use crate::data::records::store::{stored, RecordReader};
use crate::data::records::write::{
    bad_request, invalid_field, missing_field, missing_link, not_found,
};
use crate::data::records::{parse_id, Record, RecordKind};
use crate::data::rng::mix;
use crate::data::{write_clock, Dataset};
use crate::errors::ApiError;
use crate::multipart;
use crate::time;
use serde_json::{json, Value};
use std::sync::Arc;

/// What a new file is attached to.
#[derive(Default)]
struct Attachments {
    deal: Option<u64>,
    person: Option<u64>,
    org: Option<u64>,
    product: Option<u64>,
    activity: Option<u64>,
    lead: Option<(u64, String)>,
    project: Option<u64>,
}

fn record_exists<K: RecordKind>(ds: &Dataset, id: u64) -> bool {
    RecordReader::<K>::new(ds).keys(id).is_some()
}

fn text_member<K: RecordKind>(ds: &Dataset, id: u64, member: &str) -> Value {
    RecordReader::<K>::new(ds)
        .record(id)
        .and_then(|r| r.get(member).cloned())
        .unwrap_or(Value::Null)
}

/// An id field of a form: a positive integer naming an existing record.
fn linked_id(
    ds: &Dataset,
    field: &str,
    text: &str,
    what: &str,
    exists: fn(&Dataset, u64) -> bool,
) -> Result<u64, ApiError> {
    let id = text
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| invalid_field(field, "Expected a positive integer"))?;
    if exists(ds, id) {
        Ok(id)
    } else {
        Err(missing_link(field, what, id))
    }
}

impl Attachments {
    fn set(&mut self, ds: &Dataset, field: &str, text: &str) -> Result<bool, ApiError> {
        match field {
            "deal_id" => self.deal = Some(linked_id(ds, field, text, "Deal", deal_exists)?),
            "person_id" => self.person = Some(linked_id(ds, field, text, "Person", person_exists)?),
            "org_id" => self.org = Some(linked_id(ds, field, text, "Organization", org_exists)?),
            "product_id" => {
                self.product = Some(linked_id(ds, field, text, "Product", product_exists)?)
            }
            "activity_id" => {
                self.activity = Some(linked_id(
                    ds,
                    field,
                    text,
                    "Activity",
                    record_exists::<Activities>,
                )?)
            }
            "project_id" => {
                self.project = Some(linked_id(
                    ds,
                    field,
                    text,
                    "Project",
                    record_exists::<Projects>,
                )?)
            }
            "lead_id" => {
                let text = text.trim();
                let n = parse_id(ds, Leads::ID, text)
                    .ok_or_else(|| invalid_field(field, "Expected a lead UUID"))?;
                if !record_exists::<Leads>(ds, n) {
                    return Err(missing_link(field, "Lead", text));
                }
                self.lead = Some((n, text.to_string()));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// How the file is stored: uploaded bytes, or a Google Drive document.
enum Source {
    Upload(Vec<u8>),
    Remote {
        remote_id: Option<String>,
        url_kind: &'static str,
    },
}

/// Creates the file record (and keeps uploaded bytes) under the next id.
fn store_file(ds: &Dataset, name: &str, links: &Attachments, source: Source) -> Record {
    let now = time::v1_time_string(write_clock());
    let lead_title = links
        .lead
        .as_ref()
        .map_or(Value::Null, |(n, _)| text_member::<Leads>(ds, *n, "title"));
    let mut record = json!({
        "user_id": 1,
        "deal_id": links.deal,
        "person_id": links.person,
        "org_id": links.org,
        "product_id": links.product,
        "activity_id": links.activity,
        "lead_id": links.lead.as_ref().map(|(_, uuid)| uuid.clone()),
        "project_id": links.project,
        "add_time": now,
        "update_time": now,
        "active_flag": true,
        "inline_flag": false,
        "cid": null,
        "s3_bucket": null,
        "mail_message_id": null,
        "mail_template_id": null,
        "deal_name": links.deal.and_then(|d| deal_title(ds, d)),
        "person_name": links.person.and_then(|p| person_name(ds, p)),
        "org_name": links.org.and_then(|o| org_name(ds, o)),
        "product_name": links.product.map_or(Value::Null, |p| text_member::<Products>(ds, p, "name")),
        "lead_name": lead_title,
        "project_name": links.project.map_or(Value::Null, |p| text_member::<Projects>(ds, p, "title")),
        "name": name,
        "description": null,
    });
    let mut overlay = ds.records.write::<Files>();
    let id = Files::base_slots(ds).max(overlay.last_created) + 1;
    let key = format!("{:016x}", mix(ds.seed ^ id));
    let (size, location, remote_id, url) = match source {
        Source::Upload(bytes) => {
            let size = bytes.len();
            ds.file_contents
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, Arc::new(bytes));
            (
                size,
                "s3",
                Value::Null,
                format!("https://files.simulated-trading.example/{key}/{name}"),
            )
        }
        Source::Remote {
            remote_id,
            url_kind,
        } => {
            let remote = remote_id.unwrap_or_else(|| format!("{key}{:016x}", mix(id)));
            let url = format!("https://docs.google.com/{url_kind}/d/{remote}/edit");
            (0, "googledrive", json!(remote), url)
        }
    };
    if let Some(map) = record.as_object_mut() {
        map.insert("id".into(), json!(id));
        map.insert("file_name".into(), json!(format!("{key}_{name}")));
        map.insert("file_size".into(), json!(size));
        map.insert("remote_location".into(), json!(location));
        map.insert("remote_id".into(), remote_id);
        map.insert("url".into(), json!(url));
    }
    let record = match record {
        Value::Object(map) => map,
        _ => Record::new(),
    };
    overlay.last_created = id;
    let (record, keys) = stored::<Files>(ds, record);
    overlay.slots.put(id, (record.clone(), keys));
    record
}

fn reply_record(record: &Record) -> Reply {
    single(|out| write_record(out, record))
}

/// `POST /files`: a `file` part and optional `deal_id`, `person_id`,
/// `org_id`, `product_id`, `activity_id`, `lead_id`, `project_id` fields.
pub(crate) fn upload(c: &Call) -> Result<Reply, ApiError> {
    let ds = c.ds();
    let content_type = c
        .content_type
        .ok_or_else(|| bad_request("Content-Type must be multipart/form-data"))?;
    let boundary = multipart::boundary(content_type).map_err(bad_request)?;
    let parts = multipart::parse(c.body, &boundary)
        .map_err(|e| bad_request(format!("Malformed multipart/form-data body: {e}")))?;
    let mut links = Attachments::default();
    let mut file = None;
    for part in &parts {
        if part.name == "file" {
            if file.is_some() {
                return Err(invalid_field("file", "Send a single file"));
            }
            file = Some(part);
            continue;
        }
        let text = std::str::from_utf8(part.data)
            .map_err(|_| invalid_field(&part.name, "Expected UTF-8 text"))?;
        links.set(ds, &part.name, text)?;
    }
    let file = file.ok_or_else(|| missing_field("file"))?;
    let name = file
        .filename
        .as_deref()
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid_field("file", "The file part needs a filename"))?;
    let record = store_file(ds, name, &links, Source::Upload(file.data.to_vec()));
    Ok(reply_record(&record))
}

/// The bytes a download of `record` serves.
fn contents(ds: &Dataset, id: u64, record: &Record) -> Arc<Vec<u8>> {
    if let Some(bytes) = ds
        .file_contents
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
    {
        return Arc::clone(bytes);
    }
    let size = record.get("file_size").and_then(Value::as_u64).unwrap_or(0) as usize;
    let name = record.get("name").and_then(Value::as_str).unwrap_or("file");
    let line = format!("Simulated contents of {name} (file {id})\n");
    Arc::new(line.bytes().cycle().take(size).collect())
}

/// `GET /files/{id}/download`: the file's bytes (`application/octet-stream`).
pub(crate) fn download(c: &Call) -> Result<Reply, ApiError> {
    let (id, record) = existing::<Files>(c, "id")?;
    if record.get("active_flag") == Some(&Value::Bool(false)) {
        return Err(ApiError {
            status: 410,
            ..bad_request("The file has been deleted")
        });
    }
    let bytes = contents(c.ds(), id, &record);
    Ok(Reply {
        content_type: "application/octet-stream",
        ..Reply::ok(bytes.as_ref().clone(), 1)
    })
}

fn one_of(body: &Record, field: &str, allowed: &[&str]) -> Result<String, ApiError> {
    let value = body
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_field(field))?;
    if allowed.is_empty() || allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(invalid_field(
            field,
            &format!("Expected one of {}", allowed.join(", ")),
        ))
    }
}

/// `item_type` and `item_id` of the remote-file forms.
fn remote_item(ds: &Dataset, body: &Record) -> Result<Attachments, ApiError> {
    let item_type = one_of(body, "item_type", &["deal", "organization", "person"])?;
    let item_id = match body.get("item_id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(missing_field("item_id")),
    };
    let field = match item_type.as_str() {
        "deal" => "deal_id",
        "person" => "person_id",
        _ => "org_id",
    };
    let mut links = Attachments::default();
    links.set(ds, field, &item_id)?;
    one_of(body, "remote_location", &["googledrive"])?;
    Ok(links)
}

/// `POST /files/remote`: a new, empty Google Drive document linked to a
/// deal, person or organization.
pub(crate) fn create_remote(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let file_type = one_of(
        &body,
        "file_type",
        &["gdoc", "gslides", "gsheet", "gform", "gdraw"],
    )?;
    let title = one_of(&body, "title", &[])?;
    let links = remote_item(c.ds(), &body)?;
    let url_kind = match file_type.as_str() {
        "gdoc" => "document",
        "gslides" => "presentation",
        "gsheet" => "spreadsheets",
        "gform" => "forms",
        _ => "drawings",
    };
    let record = store_file(
        c.ds(),
        &title,
        &links,
        Source::Remote {
            remote_id: None,
            url_kind,
        },
    );
    Ok(reply_record(&record))
}

/// `POST /files/remoteLink`: an existing Google Drive file linked to a
/// deal, person or organization.
pub(crate) fn link_remote(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let remote_id = one_of(&body, "remote_id", &[])?;
    let links = remote_item(c.ds(), &body)?;
    let record = store_file(
        c.ds(),
        &remote_id,
        &links,
        Source::Remote {
            remote_id: Some(remote_id.clone()),
            url_kind: "file",
        },
    );
    Ok(reply_record(&record))
}

/// The files attached to the `{id}` record through `member`.
fn files_of(c: &Call, member: &str, exists: fn(&Dataset, u64) -> bool) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    if !exists(c.ds(), id) {
        return Err(not_found());
    }
    let scope: Vec<u64> = RecordReader::<Files>::new(c.ds())
        .all()
        .into_iter()
        .filter(|(_, r)| r.get(member).and_then(Value::as_u64) == Some(id))
        .map(|(file, _)| file)
        .collect();
    list_scoped::<Files>(c.ds(), c.query, Some(scope))
}

pub(crate) fn of_deal(c: &Call) -> Result<Reply, ApiError> {
    files_of(c, "deal_id", deal_exists)
}

pub(crate) fn of_person(c: &Call) -> Result<Reply, ApiError> {
    files_of(c, "person_id", person_exists)
}

pub(crate) fn of_organization(c: &Call) -> Result<Reply, ApiError> {
    files_of(c, "org_id", org_exists)
}

pub(crate) fn of_product(c: &Call) -> Result<Reply, ApiError> {
    files_of(c, "product_id", product_exists)
}
