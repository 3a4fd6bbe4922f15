//! Opening the system browser at the authorization URL. The URL is passed
//! as one argument to a fixed program, never through a shell, so nothing in
//! it can be interpreted as a command.
//!
//! `PIPEDRIVE_ODBC_BROWSER` overrides the program: its whitespace-separated
//! words are the program and leading arguments, and the URL is appended
//! (like the `BROWSER` convention). Tests and headless set-ups use it, for
//! example `PIPEDRIVE_ODBC_BROWSER="curl -sL -o /dev/null"` follows the
//! redirect without a browser.

use std::process::{Child, Command, Stdio};

pub const BROWSER_VARIABLE: &str = "PIPEDRIVE_ODBC_BROWSER";

/// The program and arguments that open `url`.
fn command_for(url: &str) -> Option<Command> {
    if let Some(custom) = std::env::var_os(BROWSER_VARIABLE) {
        let custom = custom.to_string_lossy().into_owned();
        let mut words = custom.split_whitespace();
        let mut command = Command::new(words.next()?);
        command.args(words).arg(url);
        return Some(command);
    }
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        // `cmd /c start` would re-parse the URL (`&` separates commands);
        // the URL protocol handler takes it as one argument.
        let mut command = Command::new("rundll32");
        command.arg("url.dll,FileProtocolHandler");
        command
    } else {
        Command::new("xdg-open")
    };
    command.arg(url);
    Some(command)
}

/// Starts the browser; the process to watch, or why it could not start.
pub fn open(url: &str) -> Result<Child, String> {
    let mut command = command_for(url).ok_or_else(|| format!("{BROWSER_VARIABLE} is empty"))?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))
}
