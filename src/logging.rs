//! The connection log (`Logfile`, `Verbosity`): one line per event, tagged
//! with the connection and statement ids, with every secret the connection
//! knows masked before the line is written.
//!
//! Levels: 1 errors and connections, 2 statements, 3 API requests, 4 request
//! parameters and timings, 5 response sizes and envelopes' metadata.

use crate::config::Config;
use crate::value::Timestamp;
use parking_lot::Mutex;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

pub const ERRORS: u8 = 1;
pub const STATEMENTS: u8 = 2;
pub const REQUESTS: u8 = 3;
pub const DETAILS: u8 = 4;
pub const WIRE: u8 = 5;

const MASK: &str = "********";

pub struct Logger {
    sink: Option<Mutex<File>>,
    verbosity: u8,
    connection: u64,
    /// Every secret value of the connection; masked in every line.
    secrets: Vec<String>,
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logger")
            .field("enabled", &self.sink.is_some())
            .field("verbosity", &self.verbosity)
            .finish()
    }
}

impl Logger {
    /// A logger that writes nothing.
    pub fn disabled() -> Logger {
        Logger {
            sink: None,
            verbosity: 0,
            connection: 0,
            secrets: Vec::new(),
        }
    }

    /// Opens the configured log file for appending. A file that cannot be
    /// opened disables logging rather than failing the connection; the
    /// caller reports that as a warning.
    pub fn open(config: &Config, connection: u64) -> (Logger, Option<String>) {
        let secrets = config.secret_values();
        let Some(path) = &config.logfile else {
            return (
                Logger {
                    sink: None,
                    verbosity: config.verbosity,
                    connection,
                    secrets,
                },
                None,
            );
        };
        match open_append(path) {
            Ok(file) => (
                Logger {
                    sink: Some(Mutex::new(file)),
                    verbosity: config.verbosity,
                    connection,
                    secrets,
                },
                None,
            ),
            Err(e) => (
                Logger {
                    sink: None,
                    verbosity: config.verbosity,
                    connection,
                    secrets,
                },
                Some(format!(
                    "The log file {} cannot be opened ({e}); logging is off",
                    path.display()
                )),
            ),
        }
    }

    pub fn enabled(&self, level: u8) -> bool {
        self.sink.is_some() && level <= self.verbosity
    }

    /// Writes one line at `level` (built only when it will be written).
    pub fn log(&self, level: u8, statement: Option<usize>, message: impl FnOnce() -> String) {
        let Some(sink) = &self.sink else {
            return;
        };
        if level > self.verbosity {
            return;
        }
        let text = redact(&message(), &self.secrets);
        let when = now_text();
        let stmt = statement.map(|s| format!(" stmt={s}")).unwrap_or_default();
        let line = format!(
            "{when} L{level} conn={}{stmt} {}\n",
            self.connection,
            text.replace('\n', " ")
        );
        let mut file = sink.lock();
        // A failing log write must never fail the operation being logged.
        let _ = file.write_all(line.as_bytes());
    }
}

fn open_append(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn now_text() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    match Timestamp::from_seconds_since_epoch(since.as_secs() as i64, 0) {
        Some(ts) => format!("{}T{}.{:03}Z", ts.date, ts.time, since.subsec_millis()),
        None => String::from("-"),
    }
}

/// Masks every occurrence of every secret (longest first, so a secret that
/// contains another is masked whole).
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for secret in sorted {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_is_masked_longest_first() {
        let secrets = vec!["abc".to_string(), "abcdef".to_string(), String::new()];
        assert_eq!(
            redact("x abcdef y abc z", &secrets),
            "x ******** y ******** z"
        );
        assert_eq!(redact("nothing here", &secrets), "nothing here");
    }

    #[test]
    fn lines_are_written_only_up_to_the_verbosity() {
        let dir = std::env::temp_dir().join(format!("pd-log-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("driver.log");
        let logger = Logger {
            sink: Some(Mutex::new(open_append(&path).unwrap())),
            verbosity: 2,
            connection: 7,
            secrets: vec!["tok-123".into()],
        };
        logger.log(ERRORS, None, || "failed with tok-123".into());
        logger.log(STATEMENTS, Some(9), || "SELECT 1".into());
        logger.log(REQUESTS, None, || "GET /x".into());
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].ends_with("L1 conn=7 failed with ********"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].ends_with("L2 conn=7 stmt=9 SELECT 1"),
            "{}",
            lines[1]
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
