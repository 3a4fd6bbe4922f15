//! Driver setup for Windows' ODBC installer: what ConfigDSN does with a
//! request from the ODBC Data Source Administrator, SQLConfigDataSource or
//! PowerShell's `Add-OdbcDsn`.
//!
//! The driver has no setup dialog: a data source is created or changed from
//! the attribute string (`DSN=Name`, then `Key=Value` pairs), which is what
//! `Add-OdbcDsn`, `odbcconf` and the installer script pass. Deciding what
//! to do is plain Rust, tested on every platform; applying it goes through
//! the installer API (odbccp32) on Windows only.

#[cfg(windows)]
pub mod installer_api;

use crate::config::properties::{classify, Keyword};

/// The request codes of ConfigDSN (`fRequest`). SQLConfigDataSource turns
/// the `*_SYS_DSN` requests into these after selecting system data sources,
/// but they are accepted directly too.
pub const ODBC_ADD_DSN: u16 = 1;
pub const ODBC_CONFIG_DSN: u16 = 2;
pub const ODBC_REMOVE_DSN: u16 = 3;
pub const ODBC_ADD_SYS_DSN: u16 = 4;
pub const ODBC_CONFIG_SYS_DSN: u16 = 5;
pub const ODBC_REMOVE_SYS_DSN: u16 = 6;

/// The installer error codes this module reports (SQLPostInstallerError).
pub const ODBC_ERROR_INVALID_REQUEST_TYPE: u32 = 5;
pub const ODBC_ERROR_INVALID_KEYWORD_VALUE: u32 = 8;
pub const ODBC_ERROR_INVALID_DSN: u32 = 9;

/// Whether a request names the system data sources explicitly, or leaves
/// the choice to the installer's current configuration mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DsnScope {
    AsConfigured,
    System,
}

/// What ConfigDSN is to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DsnChange {
    /// Create the data source (replacing one of the same name), with the
    /// given keys.
    Add {
        scope: DsnScope,
        dsn: String,
        driver: String,
        values: Vec<(String, String)>,
    },
    /// Set the given keys of a data source (created if missing), keeping
    /// the keys the attributes do not mention; an empty value removes a key.
    Configure {
        scope: DsnScope,
        dsn: String,
        driver: String,
        values: Vec<(String, String)>,
    },
    Remove {
        scope: DsnScope,
        dsn: String,
    },
}

/// Why a request was refused: an installer error code and a message for the
/// user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    pub code: u32,
    pub message: String,
}

impl SetupError {
    fn new(code: u32, message: impl Into<String>) -> Self {
        SetupError {
            code,
            message: message.into(),
        }
    }
}

/// Characters SQLValidDSN rejects in a data source name.
const INVALID_DSN_CHARACTERS: &[char] = &[
    '[', ']', '{', '}', '(', ')', ',', ';', '?', '*', '=', '!', '@', '\\',
];
/// The longest data source name the installer accepts (SQL_MAX_DSN_LENGTH).
const MAX_DSN_LENGTH: usize = 32;

fn check_dsn_name(dsn: &str) -> Result<(), SetupError> {
    if dsn.is_empty() {
        return Err(SetupError::new(
            ODBC_ERROR_INVALID_DSN,
            "This driver has no setup dialog: pass the data source in the attributes, e.g. \
             Add-OdbcDsn -Name Pipedrive -DriverName \"Pipedrive ODBC Driver\" -DsnType User \
             -SetPropertyValue @(\"APIToken=...\", \"CompanyDomain=...\"), \
             or run installer\\windows\\install.ps1 -Dsn Pipedrive",
        ));
    }
    if dsn.chars().count() > MAX_DSN_LENGTH {
        return Err(SetupError::new(
            ODBC_ERROR_INVALID_DSN,
            format!("The data source name is longer than {MAX_DSN_LENGTH} characters"),
        ));
    }
    if let Some(bad) = dsn.chars().find(|c| INVALID_DSN_CHARACTERS.contains(c)) {
        return Err(SetupError::new(
            ODBC_ERROR_INVALID_DSN,
            format!("A data source name cannot contain '{bad}'"),
        ));
    }
    Ok(())
}

/// Splits the attribute entries (`Key=Value`, one per NUL-terminated string
/// of the list) into the DSN name and the other keys, rejecting keys the
/// driver does not know, so that a typo is caught when the DSN is saved
/// rather than ignored at every connection.
fn split_attributes(entries: &[String]) -> Result<(String, Vec<(String, String)>), SetupError> {
    let mut dsn = String::new();
    let mut values: Vec<(String, String)> = Vec::new();
    for entry in entries.iter().filter(|e| !e.trim().is_empty()) {
        let (key, value) = entry.split_once('=').ok_or_else(|| {
            SetupError::new(
                ODBC_ERROR_INVALID_KEYWORD_VALUE,
                format!("'{}' is not of the form Key=Value", entry.trim()),
            )
        })?;
        let (key, value) = (key.trim(), value.trim());
        let name = match classify(key) {
            Keyword::Property { def, .. } => def.name.to_string(),
            Keyword::Standard(name) if name.eq_ignore_ascii_case("DSN") => {
                dsn = value.to_string();
                continue;
            }
            // The driver path is the installer's business (SQLWriteDSNToIni).
            Keyword::Standard(name) if name.eq_ignore_ascii_case("DRIVER") => continue,
            Keyword::Standard(name) => name.to_string(),
            Keyword::Unknown => {
                return Err(SetupError::new(
                    ODBC_ERROR_INVALID_KEYWORD_VALUE,
                    format!(
                        "Unknown connection property '{key}' (see docs/connection-properties.md)"
                    ),
                ))
            }
        };
        // A repeated key keeps its first value, as in connection strings.
        if !values.iter().any(|(k, _)| k.eq_ignore_ascii_case(&name)) {
            values.push((name, value.to_string()));
        }
    }
    Ok((dsn, values))
}

/// Decides what a ConfigDSN call does.
pub fn plan_config_dsn(
    request: u16,
    driver: &str,
    entries: &[String],
) -> Result<DsnChange, SetupError> {
    let (dsn, values) = split_attributes(entries)?;
    check_dsn_name(&dsn)?;
    let driver = driver.to_string();
    match request {
        ODBC_ADD_DSN | ODBC_ADD_SYS_DSN => Ok(DsnChange::Add {
            scope: scope_of(request),
            dsn,
            driver,
            values,
        }),
        ODBC_CONFIG_DSN | ODBC_CONFIG_SYS_DSN => Ok(DsnChange::Configure {
            scope: scope_of(request),
            dsn,
            driver,
            values,
        }),
        ODBC_REMOVE_DSN | ODBC_REMOVE_SYS_DSN => Ok(DsnChange::Remove {
            scope: scope_of(request),
            dsn,
        }),
        other => Err(SetupError::new(
            ODBC_ERROR_INVALID_REQUEST_TYPE,
            format!("ConfigDSN request {other} is not one of ODBC_ADD_DSN, ODBC_CONFIG_DSN, ODBC_REMOVE_DSN"),
        )),
    }
}

/// What to tell a user who asked for a setup dialog (the ODBC Data Source
/// Administrator passes its window and no properties): how to set the DSN's
/// properties without one. `None` when the request carries what it needs.
pub fn dialog_substitute(change: &DsnChange) -> Option<String> {
    match change {
        DsnChange::Add { dsn, values, .. } | DsnChange::Configure { dsn, values, .. } if values.is_empty() => Some(format!(
            "The Pipedrive ODBC driver has no configuration dialog. Set the properties of '{dsn}' from PowerShell, e.g.\n\n\
             Set-OdbcDsn -Name \"{dsn}\" -DsnType User -Platform 64-bit -SetPropertyValue @(\"APIToken=...\", \"CompanyDomain=...\")\n\n\
             Every property is listed in docs/connection-properties.md."
        )),
        _ => None,
    }
}

fn scope_of(request: u16) -> DsnScope {
    match request {
        ODBC_ADD_SYS_DSN | ODBC_CONFIG_SYS_DSN | ODBC_REMOVE_SYS_DSN => DsnScope::System,
        _ => DsnScope::AsConfigured,
    }
}

/// Applies a change through the installer API.
#[cfg(windows)]
pub fn apply(change: &DsnChange) -> Result<(), SetupError> {
    use installer_api as api;
    let scope = match change {
        DsnChange::Add { scope, .. }
        | DsnChange::Configure { scope, .. }
        | DsnChange::Remove { scope, .. } => *scope,
    };
    if scope == DsnScope::System && !api::set_config_mode(api::ODBC_SYSTEM_DSN) {
        return Err(SetupError::new(
            api::ODBC_ERROR_REQUEST_FAILED,
            "Could not select the system data sources",
        ));
    }
    let outcome = apply_in_mode(change);
    if scope == DsnScope::System {
        api::set_config_mode(api::ODBC_BOTH_DSN);
    }
    outcome
}

#[cfg(windows)]
fn apply_in_mode(change: &DsnChange) -> Result<(), SetupError> {
    use installer_api as api;
    let failed = |what: String| SetupError::new(api::ODBC_ERROR_REQUEST_FAILED, what);
    match change {
        DsnChange::Add {
            dsn,
            driver,
            values,
            ..
        }
        | DsnChange::Configure {
            dsn,
            driver,
            values,
            ..
        } => {
            if !api::valid_dsn(dsn) {
                return Err(SetupError::new(
                    ODBC_ERROR_INVALID_DSN,
                    format!("'{dsn}' is not a valid data source name"),
                ));
            }
            // Adding replaces a data source of the same name whole; configuring
            // keeps the keys the attributes do not mention.
            let exists = !api::data_source_keys(dsn).is_empty();
            if matches!(change, DsnChange::Add { .. }) || !exists {
                if !api::write_dsn(dsn, driver) {
                    return Err(failed(format!("Could not create the data source '{dsn}'")));
                }
            }
            for (key, value) in values {
                let value = (!value.is_empty()).then_some(value.as_str());
                if !api::write_value(dsn, key, value) {
                    return Err(failed(format!(
                        "Could not write {key} of the data source '{dsn}'"
                    )));
                }
            }
            Ok(())
        }
        DsnChange::Remove { dsn, .. } => {
            if api::remove_dsn(dsn) {
                Ok(())
            } else {
                Err(failed(format!("Could not remove the data source '{dsn}'")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn add_takes_the_name_and_canonical_keys_from_the_attributes() {
        let change = plan_config_dsn(
            ODBC_ADD_DSN,
            "Pipedrive ODBC Driver",
            &entries(&[
                "DSN=Sales",
                "apitoken=t0k",
                "companydomain=acme",
                "Description=CRM",
                "Driver=ignored.dll",
            ]),
        )
        .expect("valid request");
        assert_eq!(
            change,
            DsnChange::Add {
                scope: DsnScope::AsConfigured,
                dsn: "Sales".into(),
                driver: "Pipedrive ODBC Driver".into(),
                values: vec![
                    ("APIToken".into(), "t0k".into()),
                    ("CompanyDomain".into(), "acme".into()),
                    ("Description".into(), "CRM".into()),
                ],
            }
        );
    }

    #[test]
    fn system_requests_select_the_system_scope() {
        let change =
            plan_config_dsn(ODBC_REMOVE_SYS_DSN, "d", &entries(&["DSN=Old"])).expect("valid");
        assert_eq!(
            change,
            DsnChange::Remove {
                scope: DsnScope::System,
                dsn: "Old".into()
            }
        );
    }

    #[test]
    fn unknown_keys_are_refused_naming_them() {
        let error =
            plan_config_dsn(ODBC_ADD_DSN, "d", &entries(&["DSN=x", "APITokn=1"])).unwrap_err();
        assert_eq!(error.code, ODBC_ERROR_INVALID_KEYWORD_VALUE);
        assert!(error.message.contains("APITokn"), "{}", error.message);
    }

    #[test]
    fn an_entry_without_equals_is_refused() {
        let error =
            plan_config_dsn(ODBC_ADD_DSN, "d", &entries(&["DSN=x", "Timeout"])).unwrap_err();
        assert_eq!(error.code, ODBC_ERROR_INVALID_KEYWORD_VALUE);
    }

    #[test]
    fn a_missing_or_invalid_name_is_refused() {
        let missing = plan_config_dsn(ODBC_ADD_DSN, "d", &entries(&["APIToken=1"])).unwrap_err();
        assert_eq!(missing.code, ODBC_ERROR_INVALID_DSN);
        assert!(missing.message.contains("Add-OdbcDsn"));
        let bad = plan_config_dsn(ODBC_ADD_DSN, "d", &entries(&["DSN=a;b"])).unwrap_err();
        assert_eq!(bad.code, ODBC_ERROR_INVALID_DSN);
        let long = plan_config_dsn(
            ODBC_ADD_DSN,
            "d",
            &entries(&[&format!("DSN={}", "x".repeat(33))]),
        )
        .unwrap_err();
        assert_eq!(long.code, ODBC_ERROR_INVALID_DSN);
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value() {
        let change = plan_config_dsn(
            ODBC_CONFIG_DSN,
            "d",
            &entries(&["DSN=x", "Timeout=5", "TIMEOUT=9"]),
        )
        .expect("valid");
        let DsnChange::Configure { values, .. } = change else {
            panic!("expected Configure, got {change:?}");
        };
        assert_eq!(values, vec![("Timeout".to_string(), "5".to_string())]);
    }

    #[test]
    fn a_request_without_properties_gets_directions_instead_of_a_dialog() {
        let bare = plan_config_dsn(ODBC_CONFIG_DSN, "d", &entries(&["DSN=Sales"])).expect("valid");
        let text = dialog_substitute(&bare).expect("directions");
        assert!(text.contains("Set-OdbcDsn -Name \"Sales\""), "{text}");
        let full = plan_config_dsn(ODBC_CONFIG_DSN, "d", &entries(&["DSN=Sales", "Timeout=9"]))
            .expect("valid");
        assert_eq!(dialog_substitute(&full), None);
        let remove =
            plan_config_dsn(ODBC_REMOVE_DSN, "d", &entries(&["DSN=Sales"])).expect("valid");
        assert_eq!(dialog_substitute(&remove), None);
    }

    #[test]
    fn unknown_requests_are_refused() {
        let error = plan_config_dsn(7, "d", &entries(&["DSN=x"])).unwrap_err();
        assert_eq!(error.code, ODBC_ERROR_INVALID_REQUEST_TYPE);
    }
}
