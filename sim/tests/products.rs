//! Products (v2), the products attached to deals, and followers.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn listed(r: &Value) -> bool {
    r["is_deleted"] == false
}

#[test]
fn paging_filters_and_sorting() {
    let sim = start_sim(300);
    let want = expected(&sim, "products", listed);
    let total = want.len();
    for limit in [1, 4, total - 1, total, total + 1] {
        let (records, pages) = all_v2(&sim, &format!("/api/v2/products?limit={limit}"));
        assert_eq!(id_texts(&records), want, "limit {limit}");
        assert_eq!(pages, total.div_ceil(limit), "limit {limit}");
    }
    let want = expected(&sim, "products", |r| listed(r) && r["owner_id"] == 2);
    let (got, _) = all_v2(&sim, "/api/v2/products?owner_id=2&limit=3");
    assert_eq!(id_texts(&got), want);
    let want = expected(&sim, "products", |r| {
        listed(r) && r["update_time"].as_str().unwrap() >= "2022-01-01T00:00:00Z"
    });
    let (got, _) = all_v2(
        &sim,
        "/api/v2/products?updated_since=2022-01-01T00:00:00Z&limit=5",
    );
    assert_eq!(id_texts(&got), want);
    let (got, _) = all_v2(&sim, "/api/v2/products?ids=3,1,999,2");
    assert_eq!(id_texts(&got), vec!["1", "2", "3"]);
    // sort_by=name pages by (name, id) with text cursors.
    for direction in ["asc", "desc"] {
        let mut rows: Vec<(String, u64)> = sim
            .dataset()
            .records("products")
            .unwrap()
            .iter()
            .filter(|r| listed(r))
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_string(),
                    r["id"].as_u64().unwrap(),
                )
            })
            .collect();
        rows.sort();
        if direction == "desc" {
            rows.reverse();
        }
        let (got, _) = all_v2(
            &sim,
            &format!("/api/v2/products?sort_by=name&sort_direction={direction}&limit=3"),
        );
        let got: Vec<u64> = got.iter().map(|r| r["id"].as_u64().unwrap()).collect();
        assert_eq!(
            got,
            rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            "{direction}"
        );
    }
    // custom_fields= keeps only the named keys.
    let key = sim.dataset().records("products").unwrap()[0]["custom_fields"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let page = get_data(
        &sim,
        &format!("/api/v2/products?custom_fields={key}&limit=2"),
    );
    assert_eq!(page[0]["custom_fields"].as_object().unwrap().len(), 1);
}

#[test]
fn product_writes_round_trip() {
    let sim = start_sim(50);
    let fields = get_data(&sim, "/api/v2/productFields?limit=500");
    let tier = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field_type"] == "enum" && f["is_custom_field"] == true)
        .unwrap()
        .clone();
    let tier_key = tier["field_code"].as_str().unwrap().to_string();
    let option = tier["options"][1]["id"].clone();
    let created = ok(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({
            "name": "Zubehör-Set", "code": "ZS-1", "tax": 19, "owner_id": 2,
            "prices": [{"price": 49.9, "currency": "EUR", "cost": 20}],
            "custom_fields": {tier_key.clone(): option},
        })),
        201,
    );
    let id = created["id"].as_u64().unwrap();
    assert_eq!(created["prices"][0]["product_id"], id);
    assert_eq!(created["custom_fields"][&tier_key], option);
    assert_eq!(get_data(&sim, &format!("/api/v2/products/{id}")), created);
    let mine = get_data(&sim, "/api/v2/products?owner_id=2&limit=500");
    assert!(mine.as_array().unwrap().iter().any(|p| p["id"] == id));

    let updated = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/products/{id}"),
        Some(&json!({"name": "Zubehör-Set XL", "custom_fields": {tier_key.clone(): null}})),
        200,
    );
    assert_eq!(updated["name"], "Zubehör-Set XL");
    assert_eq!(updated["custom_fields"][&tier_key], Value::Null);
    assert_eq!(updated["code"], "ZS-1");

    ok(&sim, "DELETE", &format!("/api/v2/products/{id}"), None, 200);
    assert_eq!(
        get_data(&sim, &format!("/api/v2/products/{id}"))["is_deleted"],
        true
    );
    let (all, _) = all_v2(&sim, "/api/v2/products?limit=500");
    assert!(!all.iter().any(|p| p["id"] == id));

    refused(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({"code": "x"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({"name": "x", "tax": "19"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({"name": "x", "prices": [{"price": 1}]})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({"name": "x", "custom_fields": {tier_key.clone(): 9999}})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/products",
        Some(&json!({"name": "x", "billing_frequency": "hourly"})),
        400,
    );
}

#[test]
fn deal_products_nested_and_across_deals() {
    let sim = start_sim(60);
    let lines = sim.dataset().records("dealProducts").unwrap();
    let deal = lines[0]["deal_id"].as_u64().unwrap();
    let of_deal: Vec<String> = id_texts(
        &lines
            .iter()
            .filter(|l| l["deal_id"] == deal)
            .cloned()
            .collect::<Vec<_>>(),
    );
    let (got, _) = all_v2(&sim, &format!("/api/v2/deals/{deal}/products?limit=1"));
    assert_eq!(id_texts(&got), of_deal);
    // Several deals at once, sorted by deal then id.
    let deals = [1u64, 2, 3, 4, 5, 6, 7, 8];
    let mut want: Vec<(u64, u64)> = lines
        .iter()
        .filter(|l| deals.contains(&l["deal_id"].as_u64().unwrap()))
        .map(|l| (l["deal_id"].as_u64().unwrap(), l["id"].as_u64().unwrap()))
        .collect();
    want.sort();
    let (got, _) = all_v2(
        &sim,
        "/api/v2/deals/products?deal_ids=1,2,3,4,5,6,7,8&sort_by=deal_id&limit=2",
    );
    let got: Vec<(u64, u64)> = got
        .iter()
        .map(|l| (l["deal_id"].as_u64().unwrap(), l["id"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, want);
    refused(&sim, "GET", "/api/v2/deals/products", None, 400);

    let created = ok(
        &sim,
        "POST",
        "/api/v2/deals/9/products",
        Some(&json!({"product_id": 3, "item_price": 100, "quantity": 2, "discount": 10})),
        201,
    );
    let line = created["id"].as_u64().unwrap();
    assert_eq!(created["deal_id"], 9);
    assert_eq!(created["sum"], 180.0);
    assert_eq!(
        created["currency"],
        sim.dataset().deal(9).unwrap()["currency"]
    );
    let (got, _) = all_v2(&sim, "/api/v2/deals/9/products");
    assert!(got.iter().any(|l| l["id"] == line));
    let patched = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/deals/9/products/{line}"),
        Some(&json!({"quantity": 3})),
        200,
    );
    assert_eq!(patched["sum"], 270.0);
    // Addressed under another deal it does not exist.
    refused(
        &sim,
        "PATCH",
        &format!("/api/v2/deals/8/products/{line}"),
        Some(&json!({"quantity": 1})),
        404,
    );
    assert_eq!(
        ok(
            &sim,
            "DELETE",
            &format!("/api/v2/deals/9/products/{line}"),
            None,
            200
        ),
        json!({"id": line})
    );
    let (got, _) = all_v2(&sim, "/api/v2/deals/9/products");
    assert!(!got.iter().any(|l| l["id"] == line));
    refused(
        &sim,
        "POST",
        "/api/v2/deals/9/products",
        Some(&json!({"product_id": 3, "quantity": 1})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/deals/9/products",
        Some(&json!({"product_id": 99_999, "item_price": 1, "quantity": 1})),
        400,
    );
    refused(&sim, "GET", "/api/v2/deals/99999/products", None, 404);
}

#[test]
fn followers_of_every_followed_entity() {
    let sim = start_sim(30);
    for path in [
        "/api/v2/deals/3/followers",
        "/api/v2/persons/3/followers",
        "/api/v2/organizations/3/followers",
        "/api/v2/products/3/followers",
    ] {
        let before = get_data(&sim, path);
        let users: Vec<u64> = before
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["user_id"].as_u64().unwrap())
            .collect();
        assert!(!users.is_empty(), "{path}: the owner follows");
        assert!(users.windows(2).all(|w| w[0] < w[1]), "{path}: by user id");
        let newcomer = (1..=8).find(|u| !users.contains(u)).unwrap();
        let added = ok(&sim, "POST", path, Some(&json!({"user_id": newcomer})), 201);
        assert_eq!(added["user_id"], newcomer);
        refused(&sim, "POST", path, Some(&json!({"user_id": newcomer})), 400);
        let (all, pages) = all_v2(&sim, &format!("{path}?limit=1"));
        assert_eq!(all.len(), users.len() + 1);
        assert_eq!(pages, users.len() + 1);
        assert_eq!(
            ok(&sim, "DELETE", &format!("{path}/{newcomer}"), None, 200),
            json!({"user_id": newcomer})
        );
        assert_eq!(get_data(&sim, path).as_array().unwrap().len(), users.len());
        refused(&sim, "DELETE", &format!("{path}/{newcomer}"), None, 404);
        refused(&sim, "POST", path, Some(&json!({"user_id": 999})), 400);
        refused(&sim, "POST", path, Some(&json!({})), 400);
    }
    refused(&sim, "GET", "/api/v2/deals/99999/followers", None, 404);
}
