//! The OAuth settings file (`OAuthSettingsLocation`): the newest tokens,
//! encrypted (see [`super::cipher`]), replaced atomically (temporary file
//! in the same directory, then rename) with mode 0600, and guarded by a
//! lock file so that connections in other threads and processes refreshing
//! at the same time take turns and each sees the token the last one stored.
//!
//! Layout: a first line naming the format, then one line of hex holding
//! nonce, ciphertext and tag. The plaintext is a small JSON object.

use super::cipher::FileKey;
use super::tokens::Tokens;
use crate::config::Secret;
use crate::diag::{OdbcError, Result, SqlState};
use serde_json::{json, Value as Json};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const HEADER: &str = "PIPEDRIVE-ODBC-OAUTH-SETTINGS v1";
/// How long a connection waits for another one to finish refreshing.
const LOCK_WAIT: Duration = Duration::from_secs(60);
const LOCK_POLL: Duration = Duration::from_millis(20);

/// The settings file of one OAuth app.
pub struct SettingsFile {
    path: PathBuf,
    key: FileKey,
}

/// Held while reading, refreshing and writing; released on drop.
pub struct SettingsLock {
    file: File,
}

impl Drop for SettingsLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

fn file_error(path: &Path, what: &str) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidAuthorization,
        format!("The OAuth settings file {} {what}", path.display()),
    )
}

fn io_error(path: &Path, action: &str, err: &std::io::Error) -> OdbcError {
    OdbcError::general(format!(
        "Could not {action} the OAuth settings file {}: {err}",
        path.display()
    ))
}

impl SettingsFile {
    pub fn new(path: PathBuf, client_id: &str, client_secret: &str) -> SettingsFile {
        SettingsFile {
            path,
            key: FileKey::derive(client_id, client_secret),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits (up to a minute) for the exclusive lock on `<file>.lock`.
    pub fn lock(&self) -> Result<SettingsLock> {
        self.ensure_directory()?;
        let lock_path = sibling(&self.path, ".lock");
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| io_error(&lock_path, "lock", &e))?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(SettingsLock { file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(LOCK_POLL)
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(OdbcError::new(
                        SqlState::TimeoutExpired,
                        format!(
                            "Another connection kept the OAuth settings file {} locked for {} s",
                            self.path.display(),
                            LOCK_WAIT.as_secs()
                        ),
                    ))
                }
                Err(TryLockError::Error(e)) => return Err(io_error(&lock_path, "lock", &e)),
            }
        }
    }

    /// The stored tokens; `None` when there is no file (or it is empty).
    /// A file this app cannot read is an error, never silently replaced.
    pub fn read(&self) -> Result<Option<Tokens>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&self.path, "read", &e)),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| file_error(&self.path, "is not a pipedrive-odbc OAuth settings file"))?;
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some(HEADER) {
            return Err(file_error(
                &self.path,
                "is not a pipedrive-odbc OAuth settings file (or was written by an incompatible version); delete it to authorize again",
            ));
        }
        let tampered = || {
            file_error(
                &self.path,
                "cannot be decrypted: it was written for another OAuthClientId/OAuthClientSecret, or it has been modified. Delete it to authorize again",
            )
        };
        let sealed = lines
            .next()
            .and_then(|line| hex_decode(line.trim()))
            .ok_or_else(tampered)?;
        let plain = self
            .key
            .open(HEADER.as_bytes(), &sealed)
            .ok_or_else(tampered)?;
        let json: Json = serde_json::from_slice(&plain).map_err(|_| tampered())?;
        tokens_from_json(&json).map(Some).ok_or_else(tampered)
    }

    /// Replaces the file with these tokens, atomically.
    pub fn write(&self, tokens: &Tokens) -> Result<()> {
        self.ensure_directory()?;
        let plain = tokens_to_json(tokens).to_string();
        let sealed = self
            .key
            .seal(HEADER.as_bytes(), plain.as_bytes())
            .ok_or_else(|| OdbcError::general("Could not encrypt the OAuth tokens"))?;
        let contents = format!("{HEADER}\n{}\n", hex_encode(&sealed));
        let temporary = sibling(
            &self.path,
            &format!(
                ".tmp-{}-{}",
                std::process::id(),
                super::cipher::random_state()
            ),
        );
        let written = (|| -> std::io::Result<()> {
            let mut file = private_options()
                .write(true)
                .create_new(true)
                .open(&temporary)?;
            file.write_all(contents.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(io_error(&self.path, "write", &e));
        }
        // Make the rename itself durable where directories can be synced.
        #[cfg(unix)]
        if let Some(dir) = self.path.parent() {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    fn ensure_directory(&self) -> Result<()> {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::DirBuilderExt;
                    builder.mode(0o700);
                }
                builder
                    .create(dir)
                    .map_err(|e| io_error(&self.path, "create the directory of", &e))
            }
            _ => Ok(()),
        }
    }
}

/// `<path><suffix>` in the same directory (so a rename stays atomic).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn tokens_to_json(tokens: &Tokens) -> Json {
    json!({
        "access_token": tokens.access_token.expose(),
        "refresh_token": tokens.refresh_token.as_ref().map(Secret::expose),
        "expires_at": tokens.expires_at,
        "expires_in": tokens.expires_in,
        "api_domain": tokens.api_domain,
        "verifier_sha256": tokens.verifier_fingerprint,
    })
}

fn tokens_from_json(json: &Json) -> Option<Tokens> {
    let text = |key: &str| json.get(key).and_then(Json::as_str).map(str::to_string);
    Some(Tokens {
        access_token: Secret::new(text("access_token")?),
        refresh_token: text("refresh_token").map(Secret::new),
        expires_at: json.get("expires_at").and_then(Json::as_u64),
        expires_in: json.get("expires_in").and_then(Json::as_u64),
        api_domain: text("api_domain"),
        verifier_fingerprint: text("verifier_sha256"),
    })
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "pd-settings-{name}-{}-{}",
            std::process::id(),
            super::super::cipher::random_state()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn sample() -> Tokens {
        Tokens {
            access_token: Secret::new("v1u:access-SECRET-1"),
            refresh_token: Some(Secret::new("1:1:refresh-SECRET-2")),
            expires_at: Some(1_800_000_000),
            expires_in: Some(3600),
            api_domain: Some("https://acme.pipedrive.com".into()),
            verifier_fingerprint: None,
        }
    }

    #[test]
    fn round_trip_is_encrypted_private_and_leaves_no_temporary_file() {
        let dir = temp_dir("rt");
        let path = dir.join("nested").join("OAuthSettings.txt");
        let file = SettingsFile::new(path.clone(), "app", "secret");
        assert_eq!(file.read().unwrap(), None);
        file.write(&sample()).unwrap();
        assert_eq!(file.read().unwrap(), Some(sample()));
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["access-SECRET-1", "refresh-SECRET-2", "acme", "secret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["OAuthSettings.txt"], "{names:?}");
        // Another machine with the same app reads it.
        let copy = dir.join("copy.txt");
        std::fs::copy(&path, &copy).unwrap();
        assert_eq!(
            SettingsFile::new(copy, "app", "secret").read().unwrap(),
            Some(sample())
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn foreign_tampered_and_garbage_files_are_clear_errors() {
        let dir = temp_dir("bad");
        let path = dir.join("s.txt");
        SettingsFile::new(path.clone(), "app", "secret")
            .write(&sample())
            .unwrap();
        let err = SettingsFile::new(path.clone(), "app", "other")
            .read()
            .unwrap_err();
        assert_eq!(err.state, SqlState::InvalidAuthorization);
        assert!(
            err.message.contains("another OAuthClientId"),
            "{}",
            err.message
        );
        let mut text = std::fs::read_to_string(&path).unwrap();
        // Flip one hex digit of the ciphertext.
        let at = text.len() - 3;
        let flipped = if &text[at..at + 1] == "0" { "1" } else { "0" };
        text.replace_range(at..at + 1, flipped);
        std::fs::write(&path, &text).unwrap();
        let file = SettingsFile::new(path.clone(), "app", "secret");
        assert!(file.read().unwrap_err().message.contains("modified"));
        for garbage in [
            &b"hello"[..],
            b"\xff\xfe",
            b"PIPEDRIVE-ODBC-OAUTH-SETTINGS v1\nzz\n",
        ] {
            std::fs::write(&path, garbage).unwrap();
            let err = file.read().unwrap_err();
            assert_eq!(err.state, SqlState::InvalidAuthorization, "{garbage:?}");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_lock_is_exclusive_across_handles() {
        let dir = temp_dir("lock");
        let file = SettingsFile::new(dir.join("s.txt"), "app", "secret");
        let held = file.lock().unwrap();
        let second = OpenOptions::new()
            .write(true)
            .open(dir.join("s.txt.lock"))
            .unwrap();
        assert!(matches!(second.try_lock(), Err(TryLockError::WouldBlock)));
        drop(held);
        assert!(second.try_lock().is_ok());
        std::fs::remove_dir_all(&dir).ok();
    }
}
