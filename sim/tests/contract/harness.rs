//! Walks every served operation against a running simulator and validates
//! each answer against the schema the spec gives for the same operation
//! and status.
//!
//! Phases, so that later requests can use what earlier ones returned:
//! 1. reads: every GET, without parameters, then (lists) paged with a small
//!    `limit` to the end; records of lists are kept by template;
//! 2. filters: every optional query parameter the spec lists, with values
//!    derived from the spec and the kept records;
//! 3. writes: POST, then PATCH/PUT, then DELETE (on what POST created when
//!    it can), bodies built from the spec's request schema;
//! 4. errors: without token (401), a missing id (404), a bad `limit` (400).

use super::http;
use super::report::{Failure, Report};
use super::schema::{violations, Validators};
use super::served_op::ServedOp;
use super::spec::{resolve, Operation, ResponseSpec, Specs};
use super::url::{percent_encode, query_string};
use super::values::{
    id_text, query_values, record_id, record_ids_for, request_body, Collected, Collections,
    ParamValues, PAGING,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which id to put in the last path parameter.
#[derive(Clone, Copy)]
enum Pick {
    /// The n-th record of the parent list (negative: from the end).
    Nth(isize),
    /// What a POST created, else the last record.
    Created,
    /// An id no record has.
    Missing,
}

/// What a request is expected to answer.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    Success,
    Status(u16),
    /// Success, or an error the caller reports as refused.
    SuccessOrRefusal,
}

pub struct Harness<'a> {
    port: u16,
    token: String,
    specs: &'a Specs,
    validators: Validators,
    pub report: Report,
    collections: Collections,
    /// What each POST created, by its `api:template`: the path it was
    /// posted to and the new record's id.
    created: BTreeMap<String, (String, Value)>,
    /// The small page size used for each list, by `api:template`.
    small_limits: BTreeMap<String, usize>,
}

/// One request of an operation.
struct Call<'r> {
    /// Without the version prefix: `/deals/5`.
    path: &'r str,
    query: &'r [(String, String)],
    with_token: bool,
    body: Option<&'r Value>,
    expect: Expect,
}

impl<'r> Call<'r> {
    /// A request expected to answer `status`.
    fn new(
        path: &'r str,
        query: &'r [(String, String)],
        with_token: bool,
        body: Option<&'r Value>,
        status: u16,
    ) -> Call<'r> {
        Call {
            path,
            query,
            with_token,
            body,
            expect: Expect::Status(status),
        }
    }
}

/// What one exchange returned.
struct Answer {
    status: u16,
    json: Option<Value>,
}

impl Answer {
    fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The records of a list: `data`, or the one array of objects inside a
    /// `data` object that is not itself a record (`{"data": {"items":
    /// [...]}}`); search results' `item`s.
    fn records(&self) -> Option<Vec<Value>> {
        let data = self.json.as_ref()?.get("data")?;
        let list = match data {
            Value::Array(list) => list,
            // A record (it has an id) is not a list.
            Value::Object(fields) if !fields.contains_key("id") => {
                let mut lists = fields
                    .values()
                    .filter_map(Value::as_array)
                    .filter(|l| l.iter().all(Value::is_object));
                match (lists.next(), lists.next()) {
                    (Some(only), None) => only,
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(
            list.iter()
                .map(|r| match r.get("item") {
                    Some(item) if r.get("id").is_none() && item.is_object() => item.clone(),
                    _ => r.clone(),
                })
                .collect(),
        )
    }
}

impl<'a> Harness<'a> {
    pub fn new(port: u16, token: &str, specs: &'a Specs) -> Harness<'a> {
        Harness {
            port,
            token: token.to_string(),
            specs,
            validators: Validators::default(),
            report: Report::default(),
            collections: Collections::new(),
            created: BTreeMap::new(),
            small_limits: BTreeMap::new(),
        }
    }

    pub fn relaxed_one_of(&self) -> Vec<String> {
        self.validators.relaxed_one_of.iter().cloned().collect()
    }

    pub fn run(&mut self, served: &[ServedOp]) {
        let specs = self.specs;
        let mut found: Vec<(ServedOp, Operation<'a>)> = Vec::new();
        for op in served {
            match specs.operation(&op.api, &op.method, &op.template) {
                Some(spec_op) => found.push((op.clone(), spec_op)),
                None => self.report.missing_from_spec.push(op.label()),
            }
        }
        // Lists before items, parents before children.
        found.sort_by_key(|(op, _)| {
            let params = op.segments().iter().filter(|s| s.starts_with('{')).count();
            (params, op.template.clone(), op.method.clone())
        });
        let reads: Vec<&(ServedOp, Operation)> =
            found.iter().filter(|(op, _)| op.method == "GET").collect();
        // Reads whose ids or parameters come from lists read later (or from
        // what a POST creates) wait for them.
        let waiting = self.read_all(reads.clone(), false);
        for (op, spec_op) in &reads {
            self.filters(op, spec_op);
        }
        for (op, spec_op) in found.iter().filter(|(op, _)| op.method == "POST") {
            self.write(op, spec_op);
        }
        self.read_all(waiting, true);
        for method in ["PATCH", "PUT"] {
            for (op, spec_op) in found.iter().filter(|(op, _)| op.method == method) {
                self.write(op, spec_op);
            }
        }
        // Before the deletions, so that the records they use still exist.
        for (op, spec_op) in &found {
            self.errors(op, spec_op);
        }
        // Children before parents.
        for (op, spec_op) in found.iter().rev().filter(|(op, _)| op.method == "DELETE") {
            self.write(op, spec_op);
        }
    }

    /// Reads every operation in `reads` whose path and required parameters
    /// can be derived, repeating while that makes progress. Returns those
    /// still waiting, after reporting them when `last_chance`.
    fn read_all<'o>(
        &mut self,
        mut reads: Vec<&'o (ServedOp, Operation<'a>)>,
        last_chance: bool,
    ) -> Vec<&'o (ServedOp, Operation<'a>)> {
        loop {
            let before = reads.len();
            let mut waiting = Vec::new();
            let mut reasons = Vec::new();
            for entry in reads {
                if let Err(reason) = self.read(&entry.0, &entry.1) {
                    waiting.push(entry);
                    reasons.push(reason);
                }
            }
            if waiting.is_empty() || waiting.len() == before {
                if last_chance {
                    for (entry, reason) in waiting.iter().zip(reasons) {
                        self.fail(&entry.0, format!("not exercised: {reason}"), String::new());
                    }
                }
                return waiting;
            }
            reads = waiting;
        }
    }

    fn fail(&mut self, op: &ServedOp, problem: String, example: String) {
        self.report.fail(Failure {
            operation: op.label(),
            problem,
            example,
        });
    }

    // ---- requests -------------------------------------------------------

    /// Sends one request, checks the status against `expect`, and validates
    /// the body against the spec's schema for the status it came with.
    fn exchange(&mut self, op: &ServedOp, spec_op: &Operation, call: Call) -> Option<Answer> {
        let Call {
            path,
            query,
            with_token,
            body,
            expect,
        } = call;
        let url = format!("{}{}{}", op.url_prefix(), path, query_string(query));
        let request = format!("{} {url}", op.method);
        let encoded = body.map(|b| encode_body(spec_op, b));
        let token = with_token.then_some(self.token.as_str());
        let payload = encoded
            .as_ref()
            .map(|(media, bytes)| (media.as_str(), bytes.as_slice()));
        let response = match http::send(self.port, &op.method, &url, token, payload) {
            Ok(r) => r,
            Err(e) => {
                self.fail(op, format!("request failed: {e}"), request);
                return None;
            }
        };
        let status = response.status;
        let wrong_status = match expect {
            Expect::Success => !(200..300).contains(&status),
            Expect::Status(wanted) => status != wanted,
            Expect::SuccessOrRefusal => false,
        };
        if wrong_status {
            let wanted = match expect {
                Expect::Status(s) => s.to_string(),
                _ => "2xx".to_string(),
            };
            self.fail(
                op,
                format!("expected status {wanted}, got {status}"),
                format!("{request} -> {}", String::from_utf8_lossy(&response.body)),
            );
        }
        // A body that is not JSON (a file download) must be of a media type
        // the spec documents for the status; there is no schema to apply.
        let media = response.media_type.as_deref().unwrap_or("");
        if !response.body.is_empty() && !media.contains("json") {
            let label = op.label();
            if spec_op.response_media(status).contains(&media) {
                self.report.count_validated(&label, status);
            } else {
                self.fail(
                    op,
                    format!(
                        "{status} answered {media}; the spec documents {:?}",
                        spec_op.response_media(status)
                    ),
                    request,
                );
            }
            return Some(Answer { status, json: None });
        }
        let json: Option<Value> = if response.body.is_empty() {
            None
        } else {
            match serde_json::from_slice(&response.body) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.fail(
                        op,
                        format!("{status} body is not JSON ({e})"),
                        format!("{request} -> {}", String::from_utf8_lossy(&response.body)),
                    );
                    None
                }
            }
        };
        self.validate(op, spec_op, status, json.as_ref(), &request);
        Some(Answer { status, json })
    }

    fn validate(
        &mut self,
        op: &ServedOp,
        spec_op: &Operation,
        status: u16,
        json: Option<&Value>,
        request: &str,
    ) {
        let label = op.label();
        match spec_op.response(status) {
            ResponseSpec::Schema(schema, pointer) => {
                let Some(json) = json else {
                    self.fail(
                        op,
                        format!("{status} has an empty body; the spec defines one"),
                        request.to_string(),
                    );
                    return;
                };
                let validator = self.validators.get(&op.api, spec_op.doc, schema, &pointer);
                for v in violations(&validator, json) {
                    self.fail(
                        op,
                        format!(
                            "{status} {}: {} [schema {}]",
                            normalize_indices(&v.instance_path),
                            v.message,
                            v.schema_path
                        ),
                        format!("{request} -> {}", v.value),
                    );
                }
                self.report.count_validated(&label, status);
            }
            ResponseSpec::NoSchema if status >= 400 => {
                self.report.count_status_only(&label, status);
            }
            ResponseSpec::Undocumented if status >= 400 => {
                self.report.count_status_only(&label, status);
            }
            ResponseSpec::NoSchema => {
                if json.is_some() {
                    self.fail(
                        op,
                        format!("{status} has a body but the spec documents none"),
                        request.to_string(),
                    );
                } else {
                    self.report.count_status_only(&label, status);
                }
            }
            ResponseSpec::Undocumented => {
                self.fail(
                    op,
                    format!(
                        "status {status} is not documented (documented: {})",
                        spec_op.documented_statuses().join(", ")
                    ),
                    request.to_string(),
                );
            }
        }
    }

    /// Requests `path` with `query`, then follows `next_cursor` (v2) or
    /// `next_start` (v1) to the last page. Returns the records and the
    /// number of pages, or the first page's status when it failed (0: no
    /// answer at all).
    fn page_through(
        &mut self,
        op: &ServedOp,
        spec_op: &Operation,
        path: &str,
        query: &[(String, String)],
        expect: Expect,
    ) -> Result<(Vec<Value>, usize), u16> {
        let mut records = Vec::new();
        let mut pages = 0;
        let mut next: Option<(String, String)> = None;
        loop {
            let mut q = query.to_vec();
            q.extend(next.clone());
            let expect_now = if pages == 0 { expect } else { Expect::Success };
            let answer = self.exchange(
                op,
                spec_op,
                Call {
                    path,
                    query: &q,
                    with_token: true,
                    body: None,
                    expect: expect_now,
                },
            );
            let Some(answer) = answer else {
                return if pages == 0 {
                    Err(0)
                } else {
                    Ok((records, pages))
                };
            };
            if !answer.success() {
                return if pages == 0 {
                    Err(answer.status)
                } else {
                    Ok((records, pages))
                };
            }
            pages += 1;
            records.extend(answer.records().into_iter().flatten());
            next = next_page(answer.json.as_ref());
            if next.is_none() {
                return Ok((records, pages));
            }
            if pages >= 1000 {
                self.fail(
                    op,
                    "more than 1000 pages: pagination does not end".to_string(),
                    path.to_string(),
                );
                return Ok((records, pages));
            }
        }
    }

    // ---- paths and parameters -------------------------------------------

    /// The records kept for `key` (`api:template`): that list's, else the
    /// same list of the other API version (v1 `/deals/{id}/participants`
    /// takes deal ids from v2 `/deals`), else a list served just below it
    /// (`/goals/find` for `/goals`).
    fn collection(&self, key: &str) -> Option<&Collected> {
        self.collection_at(key).map(|(_, c)| c)
    }

    /// As [`Self::collection`], with the path under which its records'
    /// ids are addressed (`/goals` for records listed by `/goals/find`).
    fn collection_at(&self, key: &str) -> Option<(String, &Collected)> {
        let swapped = match key.split_once(':') {
            Some(("v1", rest)) => format!("v2:{rest}"),
            Some((_, rest)) => format!("v1:{rest}"),
            None => key.to_string(),
        };
        if let Some(c) = self.collections.get(key).or_else(|| {
            self.collections
                .get(&swapped)
                .filter(|c| !c.records.is_empty())
        }) {
            return Some((c.path.clone(), c));
        }
        let template = key.split_once(':').map_or(key, |(_, t)| t);
        if template.contains('{') {
            return None;
        }
        let below = format!("{key}/");
        self.collections
            .iter()
            .find(|(k, c)| {
                k.strip_prefix(&below)
                    .is_some_and(|rest| !rest.contains(['/', '{']))
                    && !c.records.is_empty()
            })
            .map(|(_, c)| (template.to_string(), c))
    }

    /// `op`'s template with the last path parameter set per `pick`; the
    /// path up to it is the concrete path of the list the id comes from.
    fn concrete_path(&self, op: &ServedOp, pick: Pick) -> Result<String, String> {
        let Some(i) = op.last_param() else {
            return Ok(op.template.clone());
        };
        let segments = op.segments();
        let param = segments[i].trim_matches(|c| c == '{' || c == '}');
        let parent_key = op.parent_key().unwrap_or_default();
        let rest: String = segments[i + 1..].iter().map(|s| format!("/{s}")).collect();
        let parent = self.collection_at(&parent_key);
        let created = self.created.get(&parent_key);
        let ids = parent
            .as_ref()
            .map(|(_, c)| record_ids_for(c, param))
            .unwrap_or_default();
        let literal_parent = !segments[..i].iter().any(|s| s.starts_with('{'));
        let (prefix, id) = match (pick, &parent, created) {
            (Pick::Missing, _, _) => {
                let prefix = match (&parent, created) {
                    (Some((path, _)), _) => path.clone(),
                    (None, Some((path, _))) => path.clone(),
                    (None, None) if literal_parent => segments[..i].join("/"),
                    (None, None) => {
                        return Err(format!("no list {parent_key} to take {{{param}}} from"))
                    }
                };
                (prefix, missing_id(&ids))
            }
            (Pick::Created, _, Some((path, id))) => (path.clone(), id_text(id)),
            (Pick::Nth(n), Some((path, _)), _) if !ids.is_empty() => {
                let index = if n < 0 { ids.len() as isize + n } else { n };
                match usize::try_from(index).ok().and_then(|i| ids.get(i)) {
                    Some(id) => (path.clone(), id_text(id)),
                    None => return Err(format!("{parent_key} has fewer than {} records", n + 1)),
                }
            }
            (Pick::Created, Some((path, _)), None) if !ids.is_empty() => {
                (path.clone(), id_text(&ids[ids.len() - 1]))
            }
            (_, _, Some((path, id))) => (path.clone(), id_text(id)),
            (_, Some(_), None) => {
                return Err(format!(
                    "the list {parent_key} has no records for {{{param}}}"
                ))
            }
            (_, None, None) => {
                return Err(format!("no list {parent_key} to take {{{param}}} from"))
            }
        };
        Ok(format!("{prefix}/{}{rest}", percent_encode(&id)))
    }

    /// The records an operation's parameters are derived from: the list's
    /// own; for an item those of its parent list; for a sub-resource such
    /// as `/deals/search` those of `/deals`.
    fn own_records(&self, op: &ServedOp) -> Option<&Collected> {
        let enclosing = op
            .template
            .rsplit_once('/')
            .map(|(head, _)| format!("{}:{head}", op.api));
        [Some(op.key()), op.parent_key(), enclosing]
            .into_iter()
            .flatten()
            .find_map(|key| self.collection(&key))
    }

    /// Values for the spec's required query parameters, or why there are
    /// none yet.
    fn required_query(
        &self,
        op: &ServedOp,
        spec_op: &Operation,
    ) -> Result<Vec<(String, String)>, String> {
        let mut query = Vec::new();
        for p in spec_op
            .query_parameters()
            .into_iter()
            .filter(|p| p.required)
        {
            match query_values(&p, &op.api, self.own_records(op), &self.collections) {
                ParamValues::Values(v) if !v.is_empty() => {
                    query.push((p.name.clone(), v[0].clone()))
                }
                ParamValues::Values(_) => {
                    return Err(format!("no value for required parameter {}", p.name))
                }
                ParamValues::Skip(reason) => {
                    return Err(format!("no value for required parameter: {reason}"))
                }
            }
        }
        Ok(query)
    }

    fn pageable(spec_op: &Operation) -> bool {
        spec_op.has_query_parameter("limit")
            && (spec_op.has_query_parameter("cursor") || spec_op.has_query_parameter("start"))
    }

    // ---- phases ---------------------------------------------------------

    /// Phase 1: the operation without optional parameters; lists paged with
    /// a small limit to the end, their records kept. `Err` (nothing sent)
    /// when its path or required parameters cannot be derived yet.
    fn read(&mut self, op: &ServedOp, spec_op: &Operation) -> Result<(), String> {
        let label = op.label();
        let base_query = self.required_query(op, spec_op)?;
        // For a parameterised path: the first records of the parent list
        // and its last one (ids at both ends of the range).
        let picks: Vec<Pick> = if op.last_param().is_some() {
            vec![Pick::Nth(0), Pick::Nth(1), Pick::Nth(2), Pick::Nth(-1)]
        } else {
            vec![Pick::Nth(0)]
        };
        let mut paths: Vec<String> = Vec::new();
        let mut first_error = None;
        for pick in picks {
            match self.concrete_path(op, pick) {
                Ok(p) if !paths.contains(&p) => paths.push(p),
                Ok(_) => {}
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        if paths.is_empty() {
            return Err(first_error.unwrap_or_else(|| "no path".to_string()));
        }
        // The list (or item) at each path; a list is kept from the first
        // path that has records (a nested list may be empty for some parents).
        let mut list: Option<(String, Vec<Value>)> = None;
        for path in &paths {
            let call = Call {
                path,
                query: &base_query,
                with_token: true,
                body: None,
                expect: Expect::Success,
            };
            let answer = self.exchange(op, spec_op, call);
            let Some(records) = answer.as_ref().and_then(Answer::records) else {
                continue;
            };
            if list.as_ref().is_none_or(|(_, kept)| kept.is_empty()) {
                list = Some((path.clone(), records));
            }
        }
        self.report
            .operation(&label)
            .exercised
            .push(format!("{} path(s) without parameters", paths.len()));
        let Some((path, first_page)) = list else {
            return Ok(());
        };
        if !Self::pageable(spec_op) {
            self.collections.insert(
                op.key(),
                Collected {
                    path,
                    records: first_page,
                },
            );
            return Ok(());
        }
        // A limit that needs three pages or more, unless the list is tiny.
        let first_page = first_page.len();
        let small = first_page.div_ceil(3).max(1);
        self.small_limits.insert(op.key(), small);
        let mut query = base_query.clone();
        query.push(("limit".to_string(), small.to_string()));
        if let Ok((records, pages)) = self.page_through(op, spec_op, &path, &query, Expect::Success)
        {
            if records.len() < first_page {
                self.fail(
                    op,
                    format!(
                        "paging with limit={small} returned {} records, the first page alone had {first_page}",
                        records.len()
                    ),
                    path.clone(),
                );
            }
            self.report
                .operation(&label)
                .exercised
                .push(format!("{pages} pages at limit={small}"));
            self.collections
                .insert(op.key(), Collected { path, records });
        }
        Ok(())
    }

    /// Phase 2: each optional query parameter the spec lists, with values
    /// derived from the spec and the data; lists paged to the end.
    fn filters(&mut self, op: &ServedOp, spec_op: &Operation) {
        let label = op.label();
        let Ok(base_query) = self.required_query(op, spec_op) else {
            return; // reported by `read`
        };
        let path = match self.collections.get(&op.key()) {
            Some(list) => list.path.clone(),
            None => match self.concrete_path(op, Pick::Nth(0)) {
                Ok(p) => p,
                Err(_) => return,
            },
        };
        let small = self.small_limits.get(&op.key()).copied();
        for param in spec_op.query_parameters() {
            if param.required || PAGING.contains(&param.name.as_str()) {
                continue;
            }
            let values =
                match query_values(&param, &op.api, self.own_records(op), &self.collections) {
                    ParamValues::Values(v) => v,
                    ParamValues::Skip(reason) => {
                        self.report.operation(&label).skipped.push(reason);
                        continue;
                    }
                };
            let mut accepted = 0;
            for value in &values {
                let mut query = base_query.clone();
                query.push((param.name.clone(), value.clone()));
                if let Some(limit) = small {
                    query.push(("limit".to_string(), limit.to_string()));
                }
                match self.page_through(op, spec_op, &path, &query, Expect::SuccessOrRefusal) {
                    Ok(_) => accepted += 1,
                    Err(status) => {
                        self.report.operation(&label).refused.push(format!(
                            "{}={} ({status})",
                            param.name,
                            shorten(value)
                        ));
                    }
                }
            }
            if accepted > 0 {
                let note = if values.len() == 1 {
                    format!("{}={}", param.name, shorten(&values[0]))
                } else {
                    format!("{} ({accepted} values)", param.name)
                };
                self.report.operation(&label).exercised.push(note);
            }
        }
    }

    /// Phase 3: a write with a body built from the spec's request schema.
    /// PATCH/PUT/DELETE act on what a POST created when there is one (else
    /// on the last record of the list), so reads keep their records.
    fn write(&mut self, op: &ServedOp, spec_op: &Operation) {
        let label = op.label();
        let pick = if op.method == "POST" {
            Pick::Nth(0)
        } else {
            Pick::Created
        };
        let path = match self.concrete_path(op, pick) {
            Ok(p) => p,
            Err(e) => {
                self.fail(op, format!("not exercised: {e}"), String::new());
                return;
            }
        };
        let query = match self.required_query(op, spec_op) {
            Ok(q) => q,
            Err(e) => {
                self.fail(op, format!("not exercised: {e}"), String::new());
                return;
            }
        };
        let body = spec_op
            .request_schema()
            .map(|schema| request_body(spec_op.doc, schema, &op.api, &self.collections));
        let call = Call {
            path: &path,
            query: &query,
            with_token: true,
            body: body.as_ref(),
            expect: Expect::Success,
        };
        let answer = self.exchange(op, spec_op, call);
        self.report.operation(&label).exercised.push(match &body {
            Some(b) => format!("body {}", shorten(&b.to_string())),
            None => "no body".to_string(),
        });
        if op.method == "POST" {
            let param = op.template.rsplit('/').next().unwrap_or("id");
            let created = answer
                .as_ref()
                .filter(|a| a.success())
                .and_then(|a| record_id(a.json.as_ref()?.get("data")?, param));
            if let Some(id) = created {
                self.created.insert(op.key(), (path, id));
            }
        }
    }

    /// Phase 4: error answers, validated where the spec defines them: no
    /// token (401), a missing id (404), a `limit` that is not a number
    /// (400; only on a path that exists, as a missing record answers 404).
    fn errors(&mut self, op: &ServedOp, spec_op: &Operation) {
        let label = op.label();
        let existing = self.concrete_path(op, Pick::Nth(0)).ok();
        let Some(path) = existing
            .clone()
            .or_else(|| self.concrete_path(op, Pick::Missing).ok())
        else {
            return;
        };
        let query = self.required_query(op, spec_op).unwrap_or_default();
        let body = spec_op
            .request_schema()
            .map(|schema| request_body(spec_op.doc, schema, &op.api, &self.collections));
        let mut notes = Vec::new();
        let body = body.as_ref();
        self.exchange(op, spec_op, Call::new(&path, &query, false, body, 401));
        notes.push("no token");
        if op.last_param().is_some() {
            if let Ok(missing) = self.concrete_path(op, Pick::Missing) {
                self.exchange(op, spec_op, Call::new(&missing, &query, true, body, 404));
                notes.push("missing id");
            }
        }
        if let (Some(path), true) = (&existing, spec_op.has_query_parameter("limit")) {
            let mut bad = query.clone();
            bad.push(("limit".to_string(), "not-a-number".to_string()));
            self.exchange(op, spec_op, Call::new(path, &bad, true, body, 400));
            notes.push("bad limit");
        }
        self.report
            .operation(&label)
            .exercised
            .push(format!("errors: {}", notes.join(", ")));
    }
}

/// An id no record has, shaped like the real ones (a UUID stays a UUID:
/// its last hex digits are changed).
fn missing_id(ids: &[Value]) -> String {
    let texts: Vec<String> = ids.iter().map(id_text).collect();
    let Some(sample) = texts.iter().find(|t| t.parse::<u64>().is_err()) else {
        return "987654321".to_string();
    };
    let mut candidate = sample.clone();
    for shift in 1..16u32 {
        candidate = sample
            .char_indices()
            .map(|(i, c)| match c.to_digit(16) {
                Some(d) if i + 6 >= sample.len() => {
                    std::char::from_digit((d + shift) % 16, 16).unwrap_or(c)
                }
                _ => c,
            })
            .collect();
        if !texts.contains(&candidate) {
            break;
        }
    }
    candidate
}

/// `next_cursor` (v2) or `pagination.next_start` (v1, also found directly
/// under `additional_data` in some schemas) of a page.
fn next_page(json: Option<&Value>) -> Option<(String, String)> {
    let extra = json?.get("additional_data")?;
    if let Some(cursor) = extra.get("next_cursor").and_then(Value::as_str) {
        return Some(("cursor".to_string(), cursor.to_string()));
    }
    let pagination = extra.get("pagination").unwrap_or(extra);
    if pagination.get("more_items_in_collection") == Some(&Value::Bool(true)) {
        let start = pagination.get("next_start")?;
        return Some(("start".to_string(), id_text(start)));
    }
    None
}

/// `/data/12/emails/0/value` -> `/data/*/emails/*/value`, so the same
/// problem in many records is reported once.
fn normalize_indices(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        text.chars().take(57).chain("...".chars()).collect()
    } else {
        text.to_string()
    }
}

/// A request body as the operation's media type wants it: JSON, a
/// urlencoded form, or `multipart/form-data` where the spec's `binary`
/// properties become file parts.
fn encode_body(spec_op: &Operation, body: &Value) -> (String, Vec<u8>) {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let members: Vec<(&String, &Value)> = body
        .as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    match spec_op.request_media() {
        Some("application/x-www-form-urlencoded") => {
            let form: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(&text(v))))
                .collect();
            (
                "application/x-www-form-urlencoded".to_string(),
                form.join("&").into_bytes(),
            )
        }
        Some("multipart/form-data") => {
            let schema = spec_op.request_schema().map(|s| resolve(spec_op.doc, s));
            let is_binary = |name: &str| {
                schema
                    .and_then(|s| s.get("properties")?.get(name))
                    .map(|p| resolve(spec_op.doc, p))
                    .and_then(|p| p.get("format")?.as_str())
                    == Some("binary")
            };
            let boundary = "contract-boundary-7d41";
            let mut out = Vec::new();
            for (name, value) in members {
                out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                if is_binary(name) {
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"contract.txt\"\r\n\
                             Content-Type: text/plain\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                } else {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                }
                out.extend_from_slice(text(value).as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            (format!("multipart/form-data; boundary={boundary}"), out)
        }
        _ => (
            "application/json".to_string(),
            body.to_string().into_bytes(),
        ),
    }
}
