//! `/products/search`, `/leads/search` and `/projects/search` (v2) against
//! brute-force evaluation over the dataset: which records match a term in
//! which fields, scores, filters, exact matches, paging and bad input.

mod write_support;

use pipedrive_sim::Simulator;
use serde_json::{json, Value};
use write_support::*;

/// Every hit of a search, following cursors: (id, score, item).
fn hits(sim: &Simulator, path: &str) -> Vec<(Value, f64, Value)> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_string(),
        };
        let a = send(sim, "GET", &url, None);
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        for hit in a.body["data"]["items"].as_array().unwrap() {
            out.push((
                hit["item"]["id"].clone(),
                hit["result_score"].as_f64().unwrap(),
                hit["item"].clone(),
            ));
        }
        match &a.body["additional_data"]["next_cursor"] {
            Value::String(c) => cursor = Some(c.clone()),
            _ => return out,
        }
    }
}

fn ids(hits: &[(Value, f64, Value)]) -> Vec<Value> {
    hits.iter().map(|(id, _, _)| id.clone()).collect()
}

/// The score rules: equal 1, prefix 0.8, contained 0.5 (case-insensitive).
fn score(text: &str, term: &str, exact: bool) -> Option<f64> {
    let (text, term) = (text.to_lowercase(), term.to_lowercase());
    if text == term {
        Some(1.0)
    } else if exact {
        None
    } else if text.starts_with(&term) {
        Some(0.8)
    } else if text.contains(&term) {
        Some(0.5)
    } else {
        None
    }
}

fn best(texts: &[Option<&str>], term: &str, exact: bool) -> Option<f64> {
    texts
        .iter()
        .flatten()
        .filter_map(|t| score(t, term, exact))
        .reduce(f64::max)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A term from the middle of a word of `text` (three characters).
fn middle_term(text: &str) -> String {
    let word = text
        .split_whitespace()
        .find(|w| w.chars().count() >= 5)
        .expect("a long word");
    word.chars().skip(1).take(3).collect()
}

/// Brute force for a record search: (id, expected score) of records that
/// `live` keeps, scored over the texts `texts` gives.
fn expected<'a>(
    records: &'a [Value],
    live: impl Fn(&Value) -> bool,
    texts: impl Fn(&'a Value) -> Vec<Option<&'a str>>,
    term: &str,
    exact: bool,
) -> Vec<(Value, f64)> {
    records
        .iter()
        .filter(|r| live(r))
        .filter_map(|r| best(&texts(r), term, exact).map(|s| (r["id"].clone(), s)))
        .collect()
}

fn assert_hits(got: &[(Value, f64, Value)], want: &[(Value, f64)], what: &str) {
    let got: Vec<(Value, f64)> = got.iter().map(|(id, s, _)| (id.clone(), *s)).collect();
    assert_eq!(got, want, "{what}");
}

#[test]
fn product_search_matches_names_and_codes() {
    let sim = start_sim(400);
    let products = sim.dataset().records("products").unwrap();
    let live = |p: &Value| p["is_deleted"] != true;
    let term = middle_term(products[2]["name"].as_str().unwrap());
    let want = expected(
        &products,
        live,
        |p| vec![p["name"].as_str(), p["code"].as_str()],
        &term,
        false,
    );
    assert!(!want.is_empty() && want.len() < products.len(), "{term}");
    let got = hits(
        &sim,
        &format!(
            "/api/v2/products/search?term={}&fields=name,code&limit=2",
            encode(&term)
        ),
    );
    assert_hits(&got, &want, "name and code");

    // Codes alone; an exact code finds its product with score 1.
    let code = products[5]["code"].as_str().unwrap();
    let got = hits(
        &sim,
        &format!(
            "/api/v2/products/search?term={}&fields=code&exact_match=true",
            encode(code)
        ),
    );
    assert_hits(&got, &[(products[5]["id"].clone(), 1.0)], "exact code");
    let got = hits(
        &sim,
        &format!("/api/v2/products/search?term={}&fields=name", encode(code)),
    );
    assert!(got.is_empty(), "codes are not names");

    // A deleted product is not found any more.
    let id = want[0].0.as_u64().unwrap();
    ok(&sim, "DELETE", &format!("/api/v2/products/{id}"), None, 200);
    let got = hits(
        &sim,
        &format!(
            "/api/v2/products/search?term={}&fields=name,code",
            encode(&term)
        ),
    );
    assert_eq!(
        ids(&got),
        want[1..].iter().map(|(i, _)| i.clone()).collect::<Vec<_>>()
    );

    // include_fields=product.price adds the first price.
    let got = hits(
        &sim,
        &format!(
            "/api/v2/products/search?term={}&include_fields=product.price",
            encode(code)
        ),
    );
    let hit = got
        .iter()
        .find(|(i, _, _)| *i == products[5]["id"])
        .unwrap();
    assert_eq!(hit.2["price"], products[5]["prices"][0]["price"]);
}

#[test]
fn product_search_looks_into_text_custom_fields() {
    let sim = start_sim(400);
    let fields = get_data(&sim, "/api/v2/productFields?limit=500");
    let text_keys: Vec<String> = fields
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["is_custom_field"] == true)
        .filter(|f| {
            matches!(
                f["field_type"].as_str(),
                Some("varchar" | "text" | "varchar_auto" | "phone")
            )
        })
        .map(|f| f["field_code"].as_str().unwrap().to_string())
        .collect();
    assert!(!text_keys.is_empty(), "products have a text custom field");
    let products = sim.dataset().records("products").unwrap();
    let sample = products
        .iter()
        .find_map(|p| {
            text_keys
                .iter()
                .find_map(|k| p["custom_fields"][k].as_str())
        })
        .expect("a product with a text custom value");
    let term = sample.chars().take(4).collect::<String>();
    // Custom matches score 0.4, below any name match.
    let want: Vec<(Value, f64)> = products
        .iter()
        .filter(|p| p["is_deleted"] != true)
        .filter(|p| {
            text_keys.iter().any(|k| {
                p["custom_fields"][k]
                    .as_str()
                    .is_some_and(|v| score(v, &term, false).is_some())
            })
        })
        .map(|p| (p["id"].clone(), 0.4))
        .collect();
    let got = hits(
        &sim,
        &format!(
            "/api/v2/products/search?term={}&fields=custom_fields",
            encode(&term)
        ),
    );
    assert_hits(&got, &want, "custom fields");
    for (_, _, item) in &got {
        assert!(!item["custom_fields"].as_array().unwrap().is_empty());
    }
}

#[test]
fn lead_search_matches_titles_and_filters_by_links() {
    let sim = start_sim(300);
    let leads = sim.dataset().records("leads").unwrap();
    let term = middle_term(leads[1]["title"].as_str().unwrap());
    let all = |_: &Value| true;
    let want = expected(&leads, all, |l| vec![l["title"].as_str()], &term, false);
    assert!(!want.is_empty() && want.len() < leads.len(), "{term}");
    let got = hits(
        &sim,
        &format!(
            "/api/v2/leads/search?term={}&fields=title&limit=3",
            encode(&term)
        ),
    );
    assert_hits(&got, &want, "titles");
    // Items link the person and organization with their names.
    for (id, _, item) in &got {
        let lead = leads.iter().find(|l| l["id"] == *id).unwrap();
        assert_eq!(item["is_archived"], lead["is_archived"]);
        match lead["person_id"].as_u64() {
            Some(p) => assert_eq!(
                item["person"],
                json!({"id": p, "name": sim.dataset().person(p).unwrap()["name"]})
            ),
            None => assert!(item.get("person").is_none()),
        }
    }

    // person_id / organization_id keep the leads linked to them.
    let person = leads.iter().find_map(|l| l["person_id"].as_u64()).unwrap();
    let by_person = expected(
        &leads,
        |l| l["person_id"] == person,
        |l| vec![l["title"].as_str()],
        &term,
        false,
    );
    let got = hits(
        &sim,
        &format!(
            "/api/v2/leads/search?term={}&fields=title&person_id={person}",
            encode(&term)
        ),
    );
    assert_hits(&got, &by_person, "person_id");
    let org = leads
        .iter()
        .find_map(|l| l["organization_id"].as_u64())
        .unwrap();
    let title = leads.iter().find(|l| l["organization_id"] == org).unwrap()["title"]
        .as_str()
        .unwrap()
        .to_uppercase();
    let by_org = expected(
        &leads,
        |l| l["organization_id"] == org,
        |l| vec![l["title"].as_str()],
        &title,
        true,
    );
    let got = hits(
        &sim,
        &format!(
            "/api/v2/leads/search?term={}&exact_match=true&organization_id={org}&include_fields=lead.was_seen",
            encode(&title)
        ),
    );
    assert_hits(&got, &by_org, "exact title, organization_id");
    for (id, _, item) in &got {
        let lead = leads.iter().find(|l| l["id"] == *id).unwrap();
        assert_eq!(item["was_seen"], lead["was_seen"]);
    }
}

#[test]
fn project_search_matches_titles_and_descriptions() {
    let sim = start_sim(400);
    let projects = sim.dataset().records("projects").unwrap();
    let live = |p: &Value| p["status"] != "deleted";
    let term = middle_term(projects[0]["title"].as_str().unwrap());
    let want = expected(
        &projects,
        live,
        |p| vec![p["title"].as_str(), p["description"].as_str()],
        &term,
        false,
    );
    assert!(!want.is_empty(), "{term}");
    let got = hits(
        &sim,
        &format!("/api/v2/projects/search?term={}&limit=1", encode(&term)),
    );
    assert_hits(&got, &want, "title and description");
    for (id, _, item) in &got {
        let p = projects.iter().find(|p| p["id"] == *id).unwrap();
        assert_eq!(item["board_id"], p["board_id"]);
        assert_eq!(item["phase"]["id"], p["phase_id"]);
        assert_eq!(item["deal_count"], p["deal_ids"].as_array().unwrap().len());
        assert_eq!(
            item["deal"]["id"],
            p["deal_ids"].get(0).cloned().unwrap_or(Value::Null)
        );
    }

    // Descriptions only.
    let description = projects
        .iter()
        .find_map(|p| p["description"].as_str())
        .unwrap();
    let dterm = middle_term(description);
    let want_d = expected(
        &projects,
        live,
        |p| vec![p["description"].as_str()],
        &dterm,
        false,
    );
    let got = hits(
        &sim,
        &format!(
            "/api/v2/projects/search?term={}&fields=description",
            encode(&dterm)
        ),
    );
    assert_hits(&got, &want_d, "description");

    // Links: person_id and organization_id.
    let linked = projects
        .iter()
        .find(|p| !p["person_ids"].as_array().unwrap().is_empty())
        .unwrap();
    let person = linked["person_ids"][0].as_u64().unwrap();
    let by_person: Vec<(Value, f64)> = want
        .iter()
        .filter(|(id, _)| {
            let p = projects.iter().find(|p| p["id"] == *id).unwrap();
            p["person_ids"].as_array().unwrap().contains(&json!(person))
        })
        .cloned()
        .collect();
    let got = hits(
        &sim,
        &format!(
            "/api/v2/projects/search?term={}&person_id={person}",
            encode(&term)
        ),
    );
    assert_hits(&got, &by_person, "person_id");

    // Deleted projects are not found.
    let id = want[0].0.as_u64().unwrap();
    ok(&sim, "DELETE", &format!("/api/v2/projects/{id}"), None, 200);
    let got = hits(
        &sim,
        &format!("/api/v2/projects/search?term={}", encode(&term)),
    );
    assert!(!ids(&got).contains(&json!(id)));
    assert_eq!(got.len(), want.len() - 1);
}

#[test]
fn bad_search_parameters_are_refused() {
    let sim = start_sim(40);
    for path in [
        "/api/v2/products/search",
        "/api/v2/leads/search",
        "/api/v2/projects/search",
    ] {
        refused(&sim, "GET", path, None, 400);
        refused(&sim, "GET", &format!("{path}?term=a"), None, 400);
        assert_eq!(
            send(
                &sim,
                "GET",
                &format!("{path}?term=a&exact_match=true"),
                None
            )
            .status,
            200
        );
        refused(
            &sim,
            "GET",
            &format!("{path}?term=ab&fields=nonsense"),
            None,
            400,
        );
        if !path.contains("projects") {
            // /projects/search has no include_fields parameter.
            refused(
                &sim,
                "GET",
                &format!("{path}?term=ab&include_fields=nonsense"),
                None,
                400,
            );
        }
        refused(&sim, "GET", &format!("{path}?term=ab&limit=501"), None, 400);
        refused(
            &sim,
            "GET",
            &format!("{path}?term=ab&cursor=garbage"),
            None,
            400,
        );
        assert_eq!(
            send(&sim, "GET", &format!("{path}?term=ab&limit=500"), None).status,
            200
        );
    }
    refused(
        &sim,
        "GET",
        "/api/v2/leads/search?term=ab&person_id=x",
        None,
        400,
    );
    refused(
        &sim,
        "GET",
        "/api/v2/projects/search?term=ab&organization_id=-1",
        None,
        400,
    );
}
