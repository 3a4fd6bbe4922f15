//! Converting property text to typed values. Every failure is HY024 (invalid
//! attribute value), names the property and what it accepts, and echoes the
//! rejected text only for non-secret properties.

use crate::diag::{OdbcError, SqlState};

use super::properties::{PropertyDef, ValueKind};

/// Longest rejected value echoed back in a message.
const MAX_ECHOED_CHARS: usize = 40;

/// true/false, yes/no, 1/0, on/off, case-insensitively.
pub fn parse_bool(def: &PropertyDef, text: &str) -> Result<bool, OdbcError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(invalid(def, text, "true, false, yes, no, 1, 0, on or off")),
    }
}

/// A decimal integer within the range the property's kind declares.
pub fn parse_integer(def: &PropertyDef, text: &str) -> Result<i64, OdbcError> {
    let (min, max) = match def.kind {
        ValueKind::Integer { min, max } => (min, max),
        _ => (i64::MIN, i64::MAX),
    };
    let trimmed = text.trim();
    // i64's parser accepts a leading '+'; a plain decimal is what we document.
    let is_decimal = trimmed
        .strip_prefix('-')
        .unwrap_or(trimmed)
        .bytes()
        .all(|b| b.is_ascii_digit());
    match trimmed.parse::<i64>() {
        Ok(number) if is_decimal && (min..=max).contains(&number) => Ok(number),
        _ => Err(invalid(
            def,
            text,
            &format!("an integer from {min} to {max}"),
        )),
    }
}

/// The canonical spelling of the listed word `text` names.
pub fn parse_choice(def: &PropertyDef, text: &str) -> Result<&'static str, OdbcError> {
    let allowed: &'static [&'static str] = match def.kind {
        ValueKind::Choice(allowed) => allowed,
        _ => &[],
    };
    allowed
        .iter()
        .find(|word| word.eq_ignore_ascii_case(text.trim()))
        .copied()
        .ok_or_else(|| invalid(def, text, &format!("one of {}", allowed.join(", "))))
}

fn invalid(def: &PropertyDef, text: &str, expected: &str) -> OdbcError {
    let got = if def.secret {
        String::new()
    } else {
        let mut shown: String = text.chars().take(MAX_ECHOED_CHARS).collect();
        if text.chars().count() > MAX_ECHOED_CHARS {
            shown.push_str("...");
        }
        format!(" (got '{shown}')")
    };
    OdbcError::new(
        SqlState::InvalidAttributeValue,
        format!("Invalid value for {}: expected {expected}{got}", def.name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::properties::{definition, Property, PropertyDefault};

    #[test]
    fn booleans_accept_the_usual_spellings() {
        let def = definition(Property::AllowUnfilteredWrites);
        for text in ["true", "TRUE", "Yes", "1", "on", " On "] {
            assert!(parse_bool(def, text).unwrap(), "{text}");
        }
        for text in ["false", "No", "0", "OFF"] {
            assert!(!parse_bool(def, text).unwrap(), "{text}");
        }
        let err = parse_bool(def, "maybe").unwrap_err();
        assert_eq!(err.state, SqlState::InvalidAttributeValue);
        assert!(err.message.contains("AllowUnfilteredWrites"));
        assert!(err.message.contains("'maybe'"));
    }

    #[test]
    fn integers_are_range_checked_decimals() {
        let verbosity = definition(Property::Verbosity);
        assert_eq!(parse_integer(verbosity, " 5 ").unwrap(), 5);
        for text in [
            "0",
            "6",
            "+3",
            "3.0",
            "three",
            "",
            "0x3",
            "99999999999999999999",
        ] {
            let err = parse_integer(verbosity, text).unwrap_err();
            assert_eq!(err.state, SqlState::InvalidAttributeValue, "{text}");
            assert!(
                err.message
                    .contains("Verbosity: expected an integer from 1 to 5"),
                "{}",
                err.message
            );
        }
        assert_eq!(
            parse_integer(definition(Property::MaxRows), "-1").unwrap(),
            -1
        );
        assert!(parse_integer(definition(Property::MaxRows), "-2").is_err());
    }

    #[test]
    fn choices_are_case_insensitive_and_errors_list_them() {
        let def = definition(Property::InitiateOAuth);
        assert_eq!(parse_choice(def, "getandrefresh").unwrap(), "GETANDREFRESH");
        let err = parse_choice(def, "ALWAYS").unwrap_err();
        assert!(
            err.message.contains("one of OFF, GETANDREFRESH, REFRESH"),
            "{}",
            err.message
        );
    }

    #[test]
    fn long_values_are_shortened_and_secret_values_never_echoed() {
        let long = "x".repeat(100);
        let err = parse_integer(definition(Property::Timeout), &long).unwrap_err();
        assert!(err.message.len() < 150, "{}", err.message);
        let secret_def = PropertyDef {
            property: Property::ProxyPassword,
            name: "ProxyPassword",
            aliases: &[],
            default: PropertyDefault::None,
            secret: true,
            kind: ValueKind::Bool,
            description: "",
        };
        let err = parse_bool(&secret_def, "hunter2").unwrap_err();
        assert!(!err.message.contains("hunter2"), "{}", err.message);
    }
}
