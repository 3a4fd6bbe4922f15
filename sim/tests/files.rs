//! Files (v1): multipart uploads, downloads, Google Drive files, the files
//! of a deal/person/organization/product (against brute force over the
//! dataset), malformed uploads, and uploaded bytes surviving a dataset
//! file round trip.

mod write_support;

use pipedrive_sim::{SaveMode, SimConfig, Simulator};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use write_support::*;

struct Raw {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Raw {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One request with any body bytes and content type.
fn raw(sim: &Simulator, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> Raw {
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-api-token: {TOKEN}\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "answers have a Content-Length"
    );
    Raw {
        status,
        content_type,
        body: answer[split + 4..].to_vec(),
    }
}

/// A multipart body: (name, optional filename, bytes) per part.
fn multipart(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, filename, data) in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// Bytes that would trip a careless parser: CRLFs, a line that looks like
/// the boundary, NULs and bytes that are not UTF-8.
fn awkward_bytes(boundary: &str) -> Vec<u8> {
    let mut data = b"line one\r\n\r\n--".to_vec();
    data.extend_from_slice(boundary.as_bytes());
    data.extend_from_slice(b"x\r\n\0\xff\xfe end\r\n");
    data.extend((0..=255u8).cycle().take(3000));
    data
}

fn upload(sim: &Simulator, parts: &[(&str, Option<&str>, &[u8])]) -> Raw {
    let boundary = "----sim-7MA4YWxkTrZu0gW";
    raw(
        sim,
        "POST",
        "/v1/files",
        Some(&format!("multipart/form-data; boundary={boundary}")),
        &multipart(boundary, parts),
    )
}

#[test]
fn uploads_keep_metadata_links_and_bytes() {
    let sim = start_sim(60);
    let lead = sim.dataset().records("leads").unwrap()[0].clone();
    let lead_id = lead["id"].as_str().unwrap();
    let data = awkward_bytes("----sim-7MA4YWxkTrZu0gW");
    let answer = upload(
        &sim,
        &[
            ("deal_id", None, b"3"),
            ("file", Some("docs/2025/Offer – 2025.pdf"), &data),
            ("person_id", None, b"4"),
            ("lead_id", None, lead_id.as_bytes()),
        ],
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let file = answer.json()["data"].clone();
    let id = file["id"].as_u64().unwrap();
    assert_eq!(
        file["name"], "Offer – 2025.pdf",
        "the client's directories are dropped"
    );
    assert_eq!(file["file_size"], data.len());
    assert_eq!(file["deal_id"], 3);
    assert_eq!(file["deal_name"], sim.dataset().deal(3).unwrap()["title"]);
    assert_eq!(file["person_id"], 4);
    assert_eq!(
        file["person_name"],
        sim.dataset().person(4).unwrap()["name"]
    );
    assert_eq!(file["lead_id"], lead_id);
    assert_eq!(file["lead_name"], lead["title"]);
    assert_eq!(file["org_id"], Value::Null);
    assert_eq!(file["active_flag"], true);
    assert_eq!(get_data(&sim, &format!("/v1/files/{id}")), file);
    let stored = sim.dataset().records("files").unwrap();
    assert_eq!(stored.last().unwrap(), &file);
    assert_eq!(
        id,
        stored.len() as u64,
        "the next id after the generated files"
    );

    let download = raw(&sim, "GET", &format!("/v1/files/{id}/download"), None, b"");
    assert_eq!(download.status, 200);
    assert_eq!(download.content_type, "application/octet-stream");
    assert_eq!(download.body, data);

    // The deal's and the person's files now include it.
    let (of_deal, _) = all_v1(&sim, "/v1/deals/3/files", 100);
    assert!(of_deal.contains(&file));
    let (of_person, _) = all_v1(&sim, "/v1/persons/4/files", 100);
    assert!(of_person.contains(&file));
}

#[test]
fn files_of_a_record_match_brute_force() {
    let sim = start_sim(200);
    let files = sim.dataset().records("files").unwrap();
    // Deleting one keeps it out of the lists.
    let gone = files.iter().find(|f| f["deal_id"].is_u64()).unwrap();
    ok(
        &sim,
        "DELETE",
        &format!("/v1/files/{}", gone["id"]),
        None,
        200,
    );
    let files = sim.dataset().records("files").unwrap();
    for (collection, member) in [
        ("deals", "deal_id"),
        ("persons", "person_id"),
        ("organizations", "org_id"),
    ] {
        let mut parents: Vec<u64> = files.iter().filter_map(|f| f[member].as_u64()).collect();
        parents.sort_unstable();
        parents.dedup();
        assert!(!parents.is_empty(), "{collection}");
        for parent in parents.iter().take(5).chain(parents.last()) {
            let want: Vec<Value> = files
                .iter()
                .filter(|f| f[member] == *parent && f["active_flag"] == true)
                .cloned()
                .collect();
            let (got, _) = all_v1(&sim, &format!("/v1/{collection}/{parent}/files"), 1);
            assert_eq!(got, want, "{collection} {parent}");
        }
        // A record without files lists none; a missing record is a 404.
        refused(
            &sim,
            "GET",
            &format!("/v1/{collection}/987654/files"),
            None,
            404,
        );
    }
    let (none, _) = all_v1(&sim, "/v1/products/1/files", 10);
    assert_eq!(none, Vec::<Value>::new());
    let answer = upload(
        &sim,
        &[("product_id", None, b"1"), ("file", Some("p.txt"), b"x")],
    );
    assert_eq!(answer.status, 200);
    let (one, _) = all_v1(&sim, "/v1/products/1/files", 10);
    assert_eq!(one, vec![answer.json()["data"].clone()]);
    refused(
        &sim,
        "GET",
        &format!("/v1/deals/{}/files?limit=x", 1),
        None,
        400,
    );
}

#[test]
fn downloads_of_generated_and_deleted_files() {
    let sim = start_sim(40);
    let file = sim.dataset().records("files").unwrap()[0].clone();
    let id = file["id"].as_u64().unwrap();
    let first = raw(&sim, "GET", &format!("/v1/files/{id}/download"), None, b"");
    assert_eq!(first.status, 200);
    assert_eq!(first.body.len() as u64, file["file_size"].as_u64().unwrap());
    let again = raw(&sim, "GET", &format!("/v1/files/{id}/download"), None, b"");
    assert_eq!(first.body, again.body, "the same bytes every time");
    ok(&sim, "DELETE", &format!("/v1/files/{id}"), None, 200);
    let gone = raw(&sim, "GET", &format!("/v1/files/{id}/download"), None, b"");
    assert_eq!(gone.status, 410);
    assert_eq!(gone.json()["success"], false);
    let missing = raw(&sim, "GET", "/v1/files/987654/download", None, b"");
    assert_eq!(missing.status, 404);
}

#[test]
fn malformed_uploads_get_400_with_the_error_envelope() {
    let sim = start_sim(20);
    let good = multipart("b1", &[("file", Some("a.txt"), b"hello")]);
    let cases: Vec<(Option<String>, Vec<u8>, &str)> = vec![
        (None, good.clone(), "Content-Type"),
        (
            Some("application/json".into()),
            b"{}".to_vec(),
            "multipart/form-data",
        ),
        (Some("multipart/form-data".into()), good.clone(), "boundary"),
        (
            Some("multipart/form-data; boundary=\"b1".into()),
            good.clone(),
            "not closed",
        ),
        (
            Some("multipart/form-data; boundary=other".into()),
            good.clone(),
            "no multipart boundary",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            good[..good.len() - 9].to_vec(),
            "not followed by a boundary",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            String::from_utf8(good.clone())
                .unwrap()
                .replace("\r\n", "\n")
                .into_bytes(),
            "",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            b"--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--".to_vec(),
            "Content-Disposition",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart("b1", &[("deal_id", None, b"1")]),
            "file",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart("b1", &[("file", None, b"no filename")]),
            "filename",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart(
                "b1",
                &[("file", Some("a"), b"1"), ("file", Some("b"), b"2")],
            ),
            "single file",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart(
                "b1",
                &[("deal_id", None, b"seven"), ("file", Some("a"), b"1")],
            ),
            "deal_id",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart(
                "b1",
                &[("deal_id", None, b"987654"), ("file", Some("a"), b"1")],
            ),
            "Deal with id 987654 does not exist",
        ),
        (
            Some("multipart/form-data; boundary=b1".into()),
            multipart(
                "b1",
                &[("lead_id", None, b"nope"), ("file", Some("a"), b"1")],
            ),
            "lead_id",
        ),
    ];
    let before = sim.dataset().records("files").unwrap().len();
    for (i, (content_type, body, wanted)) in cases.iter().enumerate() {
        let answer = raw(&sim, "POST", "/v1/files", content_type.as_deref(), body);
        assert_eq!(
            answer.status,
            400,
            "case {i}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        let envelope = answer.json();
        assert_eq!(envelope["success"], false, "case {i}");
        let error = envelope["error"].as_str().unwrap();
        assert!(error.contains(wanted), "case {i}: {error}");
    }
    assert_eq!(
        sim.dataset().records("files").unwrap().len(),
        before,
        "nothing stored"
    );
    // The quoted boundary form works.
    let answer = raw(
        &sim,
        "POST",
        "/v1/files",
        Some("multipart/form-data; boundary=\"b1\""),
        &good,
    );
    assert_eq!(answer.status, 200);
}

#[test]
fn google_drive_files() {
    let sim = start_sim(30);
    let form = "application/x-www-form-urlencoded";
    let made = send_raw(
        &sim,
        "POST",
        "/v1/files/remote",
        Some("file_type=gsheet&title=Budget%202026&item_type=organization&item_id=2&remote_location=googledrive".into()),
        form,
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let file = &made.body["data"];
    assert_eq!(file["name"], "Budget 2026");
    assert_eq!(file["org_id"], 2);
    assert_eq!(file["remote_location"], "googledrive");
    assert!(file["url"].as_str().unwrap().contains("/spreadsheets/d/"));
    let (of_org, _) = all_v1(&sim, "/v1/organizations/2/files", 100);
    assert!(of_org.contains(file));

    let linked = send_raw(
        &sim,
        "POST",
        "/v1/files/remoteLink",
        Some("item_type=deal&item_id=5&remote_id=1AbC&remote_location=googledrive".into()),
        form,
    );
    assert_eq!(linked.status, 200, "{}", linked.body);
    assert_eq!(linked.body["data"]["remote_id"], "1AbC");
    assert_eq!(linked.body["data"]["deal_id"], 5);

    for bad in [
        "file_type=pdf&title=x&item_type=deal&item_id=1&remote_location=googledrive",
        "file_type=gdoc&item_type=deal&item_id=1&remote_location=googledrive",
        "file_type=gdoc&title=x&item_type=lead&item_id=1&remote_location=googledrive",
        "file_type=gdoc&title=x&item_type=deal&item_id=987654&remote_location=googledrive",
        "file_type=gdoc&title=x&item_type=deal&item_id=1&remote_location=dropbox",
    ] {
        let a = send_raw(&sim, "POST", "/v1/files/remote", Some(bad.into()), form);
        assert_eq!(a.status, 400, "{bad}: {}", a.body);
        assert_eq!(a.body["success"], false);
    }
}

#[test]
fn uploaded_bytes_survive_a_dataset_file() {
    let sim = start_sim(30);
    let data = awkward_bytes("zz");
    let answer = upload(&sim, &[("file", Some("kept.bin"), &data)]);
    let id = answer.json()["data"]["id"].as_u64().unwrap();
    let path =
        std::env::temp_dir().join(format!("pipedrive-sim-files-{}.json", std::process::id()));
    sim.save_dataset(&path, SaveMode::Changes).unwrap();
    let loaded = Simulator::start(SimConfig {
        data_file: Some(path.clone()),
        ..SimConfig::default()
    })
    .unwrap();
    std::fs::remove_file(&path).unwrap();
    let download = raw(
        &loaded,
        "GET",
        &format!("/v1/files/{id}/download"),
        None,
        b"",
    );
    assert_eq!(download.body, data);
    assert_eq!(
        get_data(&loaded, &format!("/v1/files/{id}")),
        answer.json()["data"]
    );
}
