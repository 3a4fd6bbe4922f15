//! v1 deal reports: `GET /deals/summary` (values per currency, weighted by
//! probability) and `GET /deals/timeline` (deals whose date field falls in
//! consecutive intervals). Both read the current state of every deal, so
//! writes show up at once. Conversions use fixed exchange rates into the
//! token user's default currency.

use super::super::envelope::single;
use super::super::params::reject_filter_id;
use super::super::{Call, Reply};
use crate::data::custom_fields::{CustomType, FieldValue};
use crate::data::deals::{deal_money, Deal, DealKeys, DealStatus};
use crate::data::listing::{Deals, EntityReader};
use crate::data::pipelines::Stage;
use crate::data::{ids_in_order, Dataset};
use crate::errors::ApiError;
use crate::time::{self, SECONDS_PER_DAY};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Euros per unit of each currency (fixed, for conversions).
fn eur_rate(code: &str) -> f64 {
    match code {
        "EUR" => 1.0,
        "USD" => 0.92,
        "GBP" => 1.17,
        "JPY" => 0.0062,
        "SEK" => 0.088,
        "BRL" => 0.17,
        "CHF" => 1.05,
        "KRW" => 0.00068,
        _ => 1.0,
    }
}

fn symbol(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "US$",
        "GBP" => "£",
        "JPY" => "¥",
        "SEK" => "SEK ",
        "BRL" => "R$",
        "CHF" => "CHF ",
        "KRW" => "₩",
        other => other,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `€1,234.5`-style text.
fn formatted(code: &str, value: f64) -> String {
    let rounded = round2(value);
    let whole = rounded.trunc().abs() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let frac = ((rounded.abs() - whole as f64) * 100.0).round() as u64;
    let sign = if rounded < 0.0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{}{grouped}", symbol(code))
    } else {
        format!("{sign}{}{grouped}.{frac:02}", symbol(code))
    }
}

/// The probability a deal's value is weighted with: its own, else its
/// stage's, in percent.
fn weight(ds: &Dataset, d: &Deal) -> f64 {
    weight_of(&ds.stages_snapshot(), &d.keys, d.probability)
}

fn weight_of(stages: &[Stage], k: &DealKeys, probability: Option<f64>) -> f64 {
    match k.status {
        DealStatus::Won => 100.0,
        DealStatus::Lost => 0.0,
        _ => probability.unwrap_or_else(|| {
            stages
                .iter()
                .find(|s| s.id == k.stage_id)
                .map_or(100.0, |s| s.deal_probability as f64)
        }),
    }
}

fn all_deals(ds: &Dataset) -> Vec<Deal> {
    let reader = EntityReader::<Deals>::new(ds);
    ids_in_order::<Deals>(ds)
        .filter_map(|id| reader.record(id))
        .collect()
}

fn home_currency(ds: &Dataset) -> String {
    ds.user_record(1)
        .map_or("EUR".to_string(), |u| u.default_currency.to_string())
}

fn convert(value: f64, from: &str, to: &str) -> f64 {
    value * eur_rate(from) / eur_rate(to)
}

/// `GET /deals/summary`.
pub(crate) fn summary(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    reject_filter_id(q)?;
    let status = q.one_of("status", DealStatus::parse, &["open", "won", "lost"])?;
    let user = q.u64("user_id")?;
    let pipeline = q.u64("pipeline_id")?;
    let stage = q.u64("stage_id")?;
    let home = home_currency(ds);
    let mut values: BTreeMap<String, (f64, u64, f64)> = BTreeMap::new();
    let mut count = 0u64;
    let (mut total, mut weighted_total) = (0.0, 0.0);
    let stages = ds.stages_snapshot();
    // Keys first (cheap), then only the money of the deals that count;
    // written deals are read whole.
    let reader = EntityReader::<Deals>::new(ds);
    for id in ids_in_order::<Deals>(ds) {
        let Some(k) = reader.keys(id) else { continue };
        let keep = k.status != DealStatus::Deleted
            && !k.is_archived
            && status.is_none_or(|s| k.status == s)
            && user.is_none_or(|u| k.owner_id == u)
            && pipeline.is_none_or(|p| k.pipeline_id == p)
            && stage.is_none_or(|s| k.stage_id == s);
        if !keep {
            continue;
        }
        let (value, currency, probability) = if reader.is_written(id) {
            match reader.record(id) {
                Some(d) => (d.value, d.currency.to_string(), d.probability),
                None => continue,
            }
        } else {
            let m = deal_money(ds, id);
            (m.value, m.currency.to_string(), m.probability)
        };
        let weighted = value * weight_of(&stages, &k, probability) / 100.0;
        total += convert(value, &currency, &home);
        weighted_total += convert(weighted, &currency, &home);
        let entry = values.entry(currency).or_default();
        entry.0 += value;
        entry.1 += 1;
        entry.2 += weighted;
        count += 1;
    }
    let mut values_total = Map::new();
    let mut weighted_values_total = Map::new();
    for (code, (value, n, weighted)) in &values {
        let converted = round2(convert(*value, code, &home));
        values_total.insert(
            code.clone(),
            json!({
                "value": round2(*value), "count": n, "value_converted": converted,
                "value_formatted": formatted(code, *value),
                "value_converted_formatted": formatted(&home, converted),
            }),
        );
        weighted_values_total.insert(
            code.clone(),
            json!({"value": round2(*weighted), "count": n, "value_formatted": formatted(code, *weighted)}),
        );
    }
    let data = json!({
        "values_total": values_total,
        "weighted_values_total": weighted_values_total,
        "total_count": count,
        "total_currency_converted_value": round2(total),
        "total_weighted_currency_converted_value": round2(weighted_total),
        "total_currency_converted_value_formatted": formatted(&home, total),
        "total_weighted_currency_converted_value_formatted": formatted(&home, weighted_total),
    });
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &data);
    }))
}

/// The date field a timeline groups by: a built-in time or a custom date.
fn field_time(ds: &Dataset, d: &Deal, key: &str) -> Option<i64> {
    let day = |days: i64| days * SECONDS_PER_DAY;
    match key {
        "add_time" => Some(d.keys.add_time),
        "update_time" => Some(d.keys.update_time),
        "close_time" => d.close_time,
        "won_time" => d.won_time,
        "lost_time" => d.lost_time,
        "stage_change_time" => d.stage_change_time,
        "expected_close_date" => d.expected_close_date.map(day),
        custom => {
            let index = ds.deal_fields.iter().position(|f| f.key == custom)?;
            match d.custom.get(index) {
                Some(FieldValue::Date(days)) => Some(day(*days)),
                _ => None,
            }
        }
    }
}

fn is_date_field(ds: &Dataset, key: &str) -> bool {
    matches!(
        key,
        "add_time"
            | "update_time"
            | "close_time"
            | "won_time"
            | "lost_time"
            | "stage_change_time"
            | "expected_close_date"
    ) || ds
        .deal_fields
        .iter()
        .any(|f| f.key == key && f.field_type == CustomType::Date)
}

/// The end (exclusive) of `amount` intervals from `start` (a day number).
fn period_end(start: i64, interval: &str, amount: u64) -> i64 {
    let (y, m, d) = time::civil_from_days(start);
    let months = |n: i64| {
        let total = y * 12 + (m as i64 - 1) + n;
        time::days_from_civil(total.div_euclid(12), (total.rem_euclid(12) + 1) as u32, d)
    };
    match interval {
        "day" => start + amount as i64,
        "week" => start + 7 * amount as i64,
        "month" => months(amount as i64),
        _ => months(3 * amount as i64),
    }
}

/// A deal in v1's shape (the members timeline entries show).
fn v1_deal(ds: &Dataset, d: &Deal) -> Value {
    let k = &d.keys;
    let t = |ts: Option<i64>| ts.map(time::v1_time_string);
    let owner = ds.user_record(k.owner_id).map(|u| u.name);
    let weighted = d.value * weight(ds, d) / 100.0;
    let mut first = json!({
        "id": k.id, "creator_user_id": d.creator_user_id, "user_id": k.owner_id,
        "person_id": k.person_id, "org_id": k.org_id, "stage_id": k.stage_id, "title": d.title,
        "value": d.value, "currency": d.currency, "archive_time": t(d.archive_time),
        "add_time": t(Some(k.add_time)), "update_time": t(Some(k.update_time)),
        "stage_change_time": t(d.stage_change_time), "active": k.status == DealStatus::Open,
        "deleted": k.status == DealStatus::Deleted, "is_archived": k.is_archived,
        "status": k.status.name(), "probability": d.probability, "lost_reason": d.lost_reason,
        "visible_to": d.visible_to.to_string(), "close_time": t(d.close_time),
        "pipeline_id": k.pipeline_id, "won_time": t(d.won_time), "first_won_time": t(d.won_time),
        "lost_time": t(d.lost_time), "expected_close_date": d.expected_close_date.map(time::date_string),
    });
    let second = json!({
        "label": d.label_ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
        "person_name": k.person_id.and_then(|p| crate::data::records::links::person_name(ds, p)),
        "org_name": k.org_id.and_then(|o| crate::data::records::links::org_name(ds, o)),
        "formatted_value": formatted(&d.currency, d.value),
        "weighted_value": round2(weighted), "formatted_weighted_value": formatted(&d.currency, weighted),
        "weighted_value_currency": d.currency, "owner_name": owner,
        "cc_email": format!("{}+deal{}@pipedrivemail.com", crate::data::users::COMPANY_DOMAIN, k.id),
        "origin": d.origin, "origin_id": d.origin_id, "channel": d.channel, "channel_id": d.channel_id,
        "arr": d.arr, "mrr": d.mrr, "acv": d.acv,
        "arr_currency": d.arr.map(|_| d.currency.to_string()), "mrr_currency": d.mrr.map(|_| d.currency.to_string()),
        "acv_currency": d.acv.map(|_| d.currency.to_string()),
    });
    // Two halves: one `json!` of every member exceeds the macro's recursion limit.
    if let (Some(a), Value::Object(b)) = (first.as_object_mut(), second) {
        a.extend(b);
    }
    first
}

fn add_to(map: &mut Map<String, Value>, code: &str, value: f64) {
    let current = map.get(code).and_then(Value::as_f64).unwrap_or(0.0);
    map.insert(code.to_string(), json!(round2(current + value)));
}

/// `GET /deals/timeline`. The spec types `data` as one object, so the
/// `amount` intervals are answered as one period from the start of the
/// first to the end of the last.
pub(crate) fn timeline(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    reject_filter_id(q)?;
    let start = q
        .get("start_date")
        .ok_or_else(|| ApiError::invalid_param("start_date", "Required"))
        .and_then(|s| {
            time::parse_date(s)
                .ok_or_else(|| ApiError::invalid_param("start_date", "Expected YYYY-MM-DD"))
        })?;
    let interval = q
        .one_of(
            "interval",
            |s| Some(s.to_string()),
            &["day", "week", "month", "quarter"],
        )?
        .ok_or_else(|| ApiError::invalid_param("interval", "Required"))?;
    let amount = q
        .u64("amount")?
        .filter(|&n| n >= 1)
        .ok_or_else(|| ApiError::invalid_param("amount", "Required, at least 1"))?;
    let field_key = q
        .get("field_key")
        .ok_or_else(|| ApiError::invalid_param("field_key", "Required"))?;
    if !is_date_field(ds, field_key) {
        return Err(ApiError::invalid_param(
            "field_key",
            "Not a date field of deals",
        ));
    }
    let user = q.u64("user_id")?;
    let pipeline = q.u64("pipeline_id")?;
    let exclude = match q.get("exclude_deals") {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return Err(ApiError::invalid_param("exclude_deals", "Expected 0 or 1")),
    };
    let convert_to = q.get("totals_convert_currency").map(str::to_string);
    let from = start * SECONDS_PER_DAY;
    let to = period_end(start, &interval, amount.min(10_000)) * SECONDS_PER_DAY;
    let mut deals = Vec::new();
    let (mut values, mut weighted, mut open_values, mut weighted_open, mut won_values) =
        (Map::new(), Map::new(), Map::new(), Map::new(), Map::new());
    let (mut count, mut open_count, mut won_count) = (0u64, 0u64, 0u64);
    let mut converted_total = 0.0;
    for d in all_deals(ds) {
        let k = &d.keys;
        let in_period = field_time(ds, &d, field_key).is_some_and(|t| t >= from && t < to);
        let keep = in_period
            && k.status != DealStatus::Deleted
            && user.is_none_or(|u| k.owner_id == u)
            && pipeline.is_none_or(|p| k.pipeline_id == p);
        if !keep {
            continue;
        }
        let w = d.value * weight(ds, &d) / 100.0;
        count += 1;
        add_to(&mut values, &d.currency, d.value);
        add_to(&mut weighted, &d.currency, w);
        if let Some(target) = &convert_to {
            converted_total += convert(d.value, &d.currency, target);
        }
        match k.status {
            DealStatus::Open => {
                open_count += 1;
                add_to(&mut open_values, &d.currency, d.value);
                add_to(&mut weighted_open, &d.currency, w);
            }
            DealStatus::Won => {
                won_count += 1;
                add_to(&mut won_values, &d.currency, d.value);
            }
            _ => {}
        }
        if !exclude {
            deals.push(v1_deal(ds, &d));
        }
    }
    let mut totals = json!({
        "count": count, "values": values, "weighted_values": weighted,
        "open_count": open_count, "open_values": open_values, "weighted_open_values": weighted_open,
        "won_count": won_count, "won_values": won_values,
    });
    if let (Some(target), Some(t)) = (&convert_to, totals.as_object_mut()) {
        t.insert(
            "values_converted".into(),
            json!({ target.clone(): round2(converted_total) }),
        );
    }
    let data = json!({
        "period_start": time::v1_time_string(from),
        "period_end": time::v1_time_string(to - 1),
        "deals": deals,
        "totals": totals,
    });
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &data);
    }))
}
