//! Reading a data source's keys from odbc.ini files, the way unixODBC's
//! SQLGetPrivateProfileString does in ODBC_BOTH_DSN mode: the user file is
//! consulted before the system file, a section found in the user file is
//! used whole (a system section of the same name is not merged in), section
//! and key names compare case-insensitively, and within a section the first
//! occurrence of a key wins.

use std::path::{Path, PathBuf};

use ini::{Ini, ParseOption};

/// Where DSN definitions come from; a trait so tests and the SQLDriverConnect
/// `DRIVER=` path need no files.
pub trait DsnSource {
    /// The `(key, value)` pairs of the data source `dsn`, or `None` if no
    /// such data source is defined.
    fn lookup(&self, dsn: &str) -> Option<Vec<(String, String)>>;
}

/// A source that defines no data sources.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDsns;

impl DsnSource for NoDsns {
    fn lookup(&self, _dsn: &str) -> Option<Vec<(String, String)>> {
        None
    }
}

/// The user and system odbc.ini files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdbcIniFiles {
    /// User DSNs; consulted first.
    pub user: Option<PathBuf>,
    /// System DSNs.
    pub system: Option<PathBuf>,
}

impl OdbcIniFiles {
    pub fn new(user: Option<PathBuf>, system: Option<PathBuf>) -> Self {
        OdbcIniFiles { user, system }
    }

    /// The files unixODBC reads: user DSNs from `$ODBCINI`, else
    /// `~/.odbc.ini`; system DSNs from `$ODBCSYSINI/odbc.ini`, else
    /// `/etc/odbc.ini`.
    pub fn from_environment() -> Self {
        Self::from_variables(|name| std::env::var_os(name).filter(|value| !value.is_empty()))
    }

    /// [`Self::from_environment`] over any variable lookup, so the rules are
    /// testable without touching the process environment.
    fn from_variables(variable: impl Fn(&str) -> Option<std::ffi::OsString>) -> Self {
        let user = variable("ODBCINI")
            .map(PathBuf::from)
            .or_else(|| variable("HOME").map(|home| Path::new(&home).join(".odbc.ini")));
        let system = match variable("ODBCSYSINI") {
            Some(directory) => Path::new(&directory).join("odbc.ini"),
            None => PathBuf::from("/etc/odbc.ini"),
        };
        OdbcIniFiles {
            user,
            system: Some(system),
        }
    }
}

/// Where the driver manager of this platform keeps data sources: odbc.ini
/// files for unixODBC, the registry on Windows.
#[cfg(not(windows))]
pub fn installed_dsns() -> OdbcIniFiles {
    OdbcIniFiles::from_environment()
}

/// Where the driver manager of this platform keeps data sources: odbc.ini
/// files for unixODBC, the registry on Windows.
#[cfg(windows)]
pub fn installed_dsns() -> super::registry_dsn::RegistryDsns {
    super::registry_dsn::RegistryDsns
}

impl DsnSource for OdbcIniFiles {
    fn lookup(&self, dsn: &str) -> Option<Vec<(String, String)>> {
        [&self.user, &self.system]
            .into_iter()
            .flatten()
            .find_map(|path| read_ini_file(path).and_then(|ini| section_pairs(&ini, dsn.trim())))
    }
}

/// Reads an odbc.ini file; a missing or unreadable file defines nothing, as
/// for unixODBC.
fn read_ini_file(path: &Path) -> Option<Ini> {
    let bytes = std::fs::read(path).ok()?;
    parse_odbc_ini(&String::from_utf8_lossy(&bytes))
}

/// Parses odbc.ini text with unixODBC's leniency. rust-ini is stricter than
/// unixODBC (it rejects indented comments, reads `:` as a separator, treats a
/// trailing `\` as a line continuation), so each line is first rewritten to a
/// canonical `[section]` or `key=value` line: comments (`;` or `#` as the
/// first non-blank character), blank lines and lines without `=` are dropped,
/// keys and values are trimmed, and the characters rust-ini would interpret
/// are escaped so it reads them literally.
fn parse_odbc_ini(text: &str) -> Option<Ini> {
    let mut canonical = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.replace('\r', "");
        let line = line.trim();
        if line.is_empty() || line.starts_with([';', '#']) {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if let Some((name, _)) = header.split_once(']') {
                canonical.push('[');
                canonical.push_str(&escape_for_ini(name.trim()));
                canonical.push_str("]\n");
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        canonical.push_str(&escape_for_ini(key));
        canonical.push('=');
        canonical.push_str(&escape_for_ini(value.trim()));
        canonical.push('\n');
    }
    // With quotes off and escapes on, rust-ini reads `\\` as `\`, `\:` as `:`
    // and everything else literally.
    let options = ParseOption {
        enabled_quote: false,
        enabled_escape: true,
        ..ParseOption::default()
    };
    Ini::load_from_str_opt(&canonical, options).ok()
}

fn escape_for_ini(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | ':' | '=' | ']' | '"' | '\'' | ';' | '#') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The pairs of the first section named `dsn` (case-insensitively), first
/// occurrence of each key winning.
fn section_pairs(ini: &Ini, dsn: &str) -> Option<Vec<(String, String)>> {
    let (_, properties) = ini
        .iter()
        .find(|(name, _)| name.is_some_and(|name| name.eq_ignore_ascii_case(dsn)))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in properties.iter() {
        if !pairs.iter().any(|(seen, _)| seen.eq_ignore_ascii_case(key)) {
            pairs.push((key.to_string(), value.to_string()));
        }
    }
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A directory of its own per test, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "pipedrive-odbc-dsn-test-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const USER_INI: &str = "\
; user data sources
[ODBC Data Sources]
Pipedrive = Pipedrive ODBC driver

[Pipedrive]
Driver      = Pipedrive ODBC
Description = Sales CRM
CompanyDomain = acme
   # an indented comment
APIToken=  user-token  
companydomain = ignored-second-occurrence

[OnlyUser]
Timeout = 5
";

    const SYSTEM_INI: &str = "\
[pipedrive]
CompanyDomain = system-acme
APIToken = system-token

[SystemOnly]
APIBaseURL = http://localhost:8080/api
Path = C:\\odbc\\
Quoted = \"kept\" 'as is' ; # not a comment
";

    #[test]
    fn user_dsn_wins_whole_over_a_system_dsn_of_the_same_name() {
        let dir = TempDir::new();
        let files = OdbcIniFiles::new(
            Some(dir.write("user.ini", USER_INI)),
            Some(dir.write("system.ini", SYSTEM_INI)),
        );
        assert_eq!(
            files.lookup("PIPEDRIVE").unwrap(),
            pairs(&[
                ("Driver", "Pipedrive ODBC"),
                ("Description", "Sales CRM"),
                ("CompanyDomain", "acme"),
                ("APIToken", "user-token"),
            ])
        );
        assert_eq!(
            files.lookup("onlyuser").unwrap(),
            pairs(&[("Timeout", "5")])
        );
    }

    #[test]
    fn system_dsns_are_found_and_values_are_literal() {
        let dir = TempDir::new();
        let files = OdbcIniFiles::new(
            Some(dir.write("user.ini", USER_INI)),
            Some(dir.write("system.ini", SYSTEM_INI)),
        );
        assert_eq!(
            files.lookup("SystemOnly").unwrap(),
            pairs(&[
                ("APIBaseURL", "http://localhost:8080/api"),
                ("Path", "C:\\odbc\\"),
                ("Quoted", "\"kept\" 'as is' ; # not a comment"),
            ])
        );
        assert_eq!(files.lookup("Missing"), None);
    }

    #[test]
    fn missing_files_define_nothing() {
        let dir = TempDir::new();
        let files = OdbcIniFiles::new(
            Some(dir.0.join("absent.ini")),
            Some(dir.write("system.ini", SYSTEM_INI)),
        );
        assert_eq!(
            files.lookup("Pipedrive").unwrap()[0],
            ("CompanyDomain".to_string(), "system-acme".to_string())
        );
        assert_eq!(OdbcIniFiles::new(None, None).lookup("Pipedrive"), None);
        assert_eq!(NoDsns.lookup("Pipedrive"), None);
    }

    #[test]
    fn environment_rules_follow_unixodbc() {
        let from = |vars: &'static [(&'static str, &'static str)]| {
            OdbcIniFiles::from_variables(move |name| {
                vars.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| OsString::from(value))
            })
        };
        assert_eq!(
            from(&[("HOME", "/home/ann")]),
            OdbcIniFiles::new(
                Some("/home/ann/.odbc.ini".into()),
                Some("/etc/odbc.ini".into())
            )
        );
        assert_eq!(
            from(&[
                ("HOME", "/home/ann"),
                ("ODBCINI", "/cfg/my.ini"),
                ("ODBCSYSINI", "/opt/odbc")
            ]),
            OdbcIniFiles::new(
                Some("/cfg/my.ini".into()),
                Some("/opt/odbc/odbc.ini".into())
            )
        );
        assert_eq!(
            from(&[]),
            OdbcIniFiles::new(None, Some("/etc/odbc.ini".into()))
        );
    }
}
