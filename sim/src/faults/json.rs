//! Fault rules as JSON, for `GET`/`PUT /__sim/faults`:
//!
//! ```json
//! {"seed": 7, "rules": [
//!   {"kind": "latency", "min_ms": 20, "max_ms": 80},
//!   {"kind": "error", "statuses": [500, 502, 503], "share": 0.1},
//!   {"kind": "drop_connection", "path_prefix": "/api/v2/deals", "nth": 3},
//!   {"kind": "truncated_body"}, {"kind": "malformed_json"},
//!   {"kind": "slow_body", "bytes_per_sec": 2048}
//! ]}
//! ```
//!
//! `latency` also takes `"ms"` for a fixed delay; `share` defaults to 1,
//! `seed` to 0.

use super::{FaultKind, FaultRule, Faults, Share};
use serde_json::{json, Map, Value};

fn rule_to_json(rule: &FaultRule) -> Value {
    let mut obj = Map::new();
    obj.insert("kind".into(), json!(rule.kind.name()));
    match &rule.kind {
        FaultKind::Latency { min_ms, max_ms } => {
            obj.insert("min_ms".into(), json!(min_ms));
            obj.insert("max_ms".into(), json!(max_ms));
        }
        FaultKind::Error { statuses } => {
            obj.insert("statuses".into(), json!(statuses));
        }
        FaultKind::SlowBody { bytes_per_sec } => {
            obj.insert("bytes_per_sec".into(), json!(bytes_per_sec));
        }
        FaultKind::DropConnection | FaultKind::TruncatedBody | FaultKind::MalformedJson => {}
    }
    obj.insert("path_prefix".into(), json!(rule.path_prefix));
    obj.insert("nth".into(), json!(rule.nth));
    obj.insert("share".into(), json!(rule.share.fraction()));
    Value::Object(obj)
}

pub(crate) fn faults_to_json(faults: &Faults) -> Value {
    json!({
        "seed": faults.seed,
        "rules": faults.rules.iter().map(rule_to_json).collect::<Vec<_>>(),
    })
}

fn u64_field(obj: &Map<String, Value>, name: &str) -> Result<Option<u64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{name}: expected a non-negative integer")),
    }
}

fn required_u64(obj: &Map<String, Value>, name: &str, kind: &str) -> Result<u64, String> {
    u64_field(obj, name)?.ok_or_else(|| format!("{kind}: {name} is required"))
}

fn rule_from_json(value: &Value) -> Result<FaultRule, String> {
    let obj = value
        .as_object()
        .ok_or("rules: each rule must be an object")?;
    let kind_name = obj
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("rule: kind is required")?;
    let kind = match kind_name {
        "latency" => match u64_field(obj, "ms")? {
            Some(ms) => FaultKind::Latency {
                min_ms: ms,
                max_ms: ms,
            },
            None => {
                let min_ms = required_u64(obj, "min_ms", kind_name)?;
                let max_ms = u64_field(obj, "max_ms")?.unwrap_or(min_ms);
                FaultKind::Latency { min_ms, max_ms }
            }
        },
        "error" => {
            let statuses = match obj.get("statuses") {
                None => vec![500, 502, 503],
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|s| {
                        s.as_u64()
                            .and_then(|s| u16::try_from(s).ok())
                            .ok_or("statuses: expected HTTP status codes".to_string())
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err("statuses: expected an array".to_string()),
            };
            FaultKind::Error { statuses }
        }
        "drop_connection" => FaultKind::DropConnection,
        "truncated_body" => FaultKind::TruncatedBody,
        "malformed_json" => FaultKind::MalformedJson,
        "slow_body" => FaultKind::SlowBody {
            bytes_per_sec: required_u64(obj, "bytes_per_sec", kind_name)?,
        },
        other => return Err(format!("rule: unknown kind '{other}'")),
    };
    let path_prefix = match obj.get("path_prefix") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err("path_prefix: expected a string".to_string()),
    };
    let share = match obj.get("share") {
        None | Some(Value::Null) => Share::ALWAYS,
        Some(v) => v
            .as_f64()
            .and_then(Share::from_fraction)
            .ok_or("share: expected a number from 0 to 1")?,
    };
    Ok(FaultRule {
        kind,
        path_prefix,
        nth: u64_field(obj, "nth")?,
        share,
    })
}

/// Parses and validates a fault configuration; the message says what is
/// wrong.
pub(crate) fn faults_from_json(value: &Value) -> Result<Faults, String> {
    let obj = value.as_object().ok_or("expected a JSON object")?;
    let rules = match obj.get("rules") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.iter().map(rule_from_json).collect::<Result<_, _>>()?,
        Some(_) => return Err("rules: expected an array".to_string()),
    };
    let faults = Faults {
        seed: u64_field(obj, "seed")?.unwrap_or(0),
        rules,
    };
    faults.validate()?;
    Ok(faults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let faults = Faults {
            seed: 9,
            rules: vec![
                FaultRule::new(FaultKind::Latency {
                    min_ms: 5,
                    max_ms: 9,
                })
                .share(0.5),
                FaultRule::new(FaultKind::Error {
                    statuses: vec![502],
                })
                .path_prefix("/api/v2/deals")
                .nth(3),
                FaultRule::new(FaultKind::SlowBody { bytes_per_sec: 100 }),
                FaultRule::new(FaultKind::DropConnection),
            ],
        };
        assert_eq!(faults_from_json(&faults_to_json(&faults)), Ok(faults));
    }

    #[test]
    fn shortcuts_and_errors() {
        let parsed =
            faults_from_json(&json!({"rules": [{"kind": "latency", "ms": 50}, {"kind": "error"}]}))
                .unwrap();
        assert_eq!(
            parsed.rules[0].kind,
            FaultKind::Latency {
                min_ms: 50,
                max_ms: 50
            }
        );
        assert_eq!(
            parsed.rules[1].kind,
            FaultKind::Error {
                statuses: vec![500, 502, 503]
            }
        );
        for bad in [
            json!([]),
            json!({"rules": [{"kind": "meteor"}]}),
            json!({"rules": [{"kind": "error", "statuses": [200]}]}),
            json!({"rules": [{"kind": "drop_connection", "share": 2}]}),
            json!({"rules": [{"kind": "latency", "min_ms": 9, "max_ms": 1}]}),
            json!({"rules": [{"kind": "slow_body"}]}),
        ] {
            assert!(faults_from_json(&bad).is_err(), "{bad}");
        }
    }
}
