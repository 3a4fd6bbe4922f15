//! The one-shot loopback listener on CallbackURL's port that receives the
//! browser's redirect after consent: it answers the browser with a short
//! page, checks `state` against the value this flow generated (a redirect
//! from anyone else is refused), and hands back the authorization code.

use super::form;
use crate::config::{is_loopback_host, Secret};
use crate::diag::{OdbcError, Result, SqlState};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// How often the waiting loop looks at the browser process and the clock.
const POLL: Duration = Duration::from_millis(25);
/// The longest request head a browser sends to a callback.
const MAX_HEAD: usize = 16 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(10);

pub struct RedirectListener {
    listener: TcpListener,
    path: String,
}

/// `http://host:port/path` split; only loopback http can be listened on.
fn parse_callback(callback_url: &str) -> Result<(String, u16, String)> {
    let unusable = |why: &str| {
        OdbcError::new(
            SqlState::UnableToConnect,
            format!("CallbackURL cannot receive the browser's redirect: {why}. Use http://localhost:<port> (registered with the OAuth app), or authorize headlessly (OAuthVerifier, pipedrive-odbc-auth)"),
        )
    };
    let rest = callback_url
        .strip_prefix("http://")
        .ok_or_else(|| unusable("the driver can only listen on http:// to a loopback host"))?;
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') => (
            host,
            port.parse::<u16>()
                .map_err(|_| unusable("its port is not a number"))?,
        ),
        _ => (authority, 80),
    };
    if !is_loopback_host(host) {
        return Err(unusable("its host is not a loopback host"));
    }
    let bind_host = match host.to_ascii_lowercase().as_str() {
        "localhost" => "127.0.0.1".to_string(),
        other => other
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
    };
    Ok((
        bind_host,
        port,
        path.split('?').next().unwrap_or("/").to_string(),
    ))
}

impl RedirectListener {
    /// Listens on CallbackURL's port (08001 when it is taken).
    pub fn bind(callback_url: &str) -> Result<RedirectListener> {
        let (host, port, path) = parse_callback(callback_url)?;
        let listener = TcpListener::bind((host.as_str(), port)).map_err(|e| {
            let why = if e.kind() == ErrorKind::AddrInUse {
                "is already in use by another program: close it, or register another CallbackURL with the OAuth app".to_string()
            } else {
                format!("cannot be listened on: {e}")
            };
            OdbcError::new(
                SqlState::UnableToConnect,
                format!("Port {port} of CallbackURL {why}"),
            )
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| OdbcError::general(format!("Could not listen on CallbackURL: {e}")))?;
        Ok(RedirectListener { listener, path })
    }

    /// Waits for the redirect carrying `state`. `give_up` is asked between
    /// polls and stops the wait with its error (the browser failed).
    pub fn wait_for_code(
        &self,
        state: &str,
        deadline: Instant,
        give_up: &mut dyn FnMut() -> Option<OdbcError>,
    ) -> Result<Secret> {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(outcome) = self.serve(stream, state) {
                        return outcome;
                    }
                }
                Err(e)
                    if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted =>
                {
                    if let Some(error) = give_up() {
                        return Err(error);
                    }
                    // EXEC GetOAuthAccessToken 'APP' can be canceled (or time
                    // out) like any statement while the user is in the browser.
                    crate::api::interrupt::check()?;
                    if Instant::now() >= deadline {
                        return Err(OdbcError::new(
                            SqlState::InvalidAuthorization,
                            "No authorization arrived at CallbackURL in time: the browser was not completed",
                        ));
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) => {
                    return Err(OdbcError::general(format!(
                        "Listening on CallbackURL failed: {e}"
                    )))
                }
            }
        }
    }

    /// One request: `None` when it was not the redirect (a favicon, a
    /// probe), so the wait goes on.
    fn serve(&self, mut stream: TcpStream, state: &str) -> Option<Result<Secret>> {
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let target = read_request_target(&mut stream)?;
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, query),
            None => (target.as_str(), ""),
        };
        if path != self.path {
            respond(&mut stream, 404, "Not found.");
            return None;
        }
        if form::query_value(query, "state").as_deref() != Some(state) {
            respond(&mut stream, 400, "This authorization response does not belong to the pending request; it was ignored.");
            return Some(Err(OdbcError::new(
                SqlState::InvalidAuthorization,
                "The redirect to CallbackURL carried the wrong state: it does not answer this authorization request. Authorize again",
            )));
        }
        if let Some(error) = form::query_value(query, "error") {
            respond(
                &mut stream,
                200,
                "Authorization was not granted. You can close this window.",
            );
            let error: String = error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            return Some(Err(OdbcError::new(
                SqlState::InvalidAuthorization,
                format!("Authorization was not granted ({error}): the app was not approved in the browser"),
            )));
        }
        match form::query_value(query, "code").filter(|c| !c.is_empty()) {
            Some(code) => {
                respond(&mut stream, 200, "Authorization complete. You can close this window and return to your application.");
                Some(Ok(Secret::new(code)))
            }
            None => {
                respond(&mut stream, 400, "The authorization response had no code.");
                Some(Err(OdbcError::new(
                    SqlState::InvalidAuthorization,
                    "The redirect to CallbackURL carried no authorization code",
                )))
            }
        }
    }
}

/// The target of a `GET <target> HTTP/1.x` request line.
fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buffer.get(..n)?);
    }
    let text = String::from_utf8_lossy(&head);
    let mut words = text.lines().next()?.split_whitespace();
    let method = words.next()?;
    let target = words.next()?;
    (method == "GET").then(|| target.to_string())
}

fn respond(stream: &mut TcpStream, status: u16, message: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pipedrive-odbc</title></head><body><p>{message}</p></body></html>"
    );
    let answer = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(port: u16, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    fn listener() -> (RedirectListener, u16) {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        (
            RedirectListener::bind(&format!("http://localhost:{port}/cb")).unwrap(),
            port,
        )
    }

    #[test]
    fn callback_urls_must_be_loopback_http() {
        assert_eq!(
            parse_callback("http://localhost:5000/cb").unwrap(),
            ("127.0.0.1".into(), 5000, "/cb".into())
        );
        assert_eq!(
            parse_callback("http://[::1]:7").unwrap(),
            ("::1".into(), 7, "/".into())
        );
        assert!(parse_callback("https://localhost:5000").is_err());
        assert!(parse_callback("http://example.com:5000").is_err());
    }

    #[test]
    fn the_redirect_with_the_right_state_yields_the_code() {
        let (listener, port) = listener();
        let client = std::thread::spawn(move || {
            let favicon = get(port, "/favicon.ico");
            let redirect = get(port, "/cb?code=c%2F1&state=st");
            (favicon, redirect)
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let code = listener
            .wait_for_code("st", deadline, &mut || None)
            .unwrap();
        assert_eq!(code.expose(), "c/1");
        let (favicon, redirect) = client.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(redirect.starts_with("HTTP/1.1 200"), "{redirect}");
    }

    #[test]
    fn a_wrong_state_or_a_refusal_is_an_error() {
        for (target, expected) in [
            ("/cb?code=c&state=other", "wrong state"),
            ("/cb?error=access_denied&state=st", "access_denied"),
            ("/cb?state=st", "no authorization code"),
        ] {
            let (listener, port) = listener();
            let client = std::thread::spawn(move || get(port, target));
            let deadline = Instant::now() + Duration::from_secs(30);
            let err = listener
                .wait_for_code("st", deadline, &mut || None)
                .unwrap_err();
            assert_eq!(err.state, SqlState::InvalidAuthorization);
            assert!(err.message.contains(expected), "{}", err.message);
            client.join().unwrap();
        }
    }

    #[test]
    fn a_taken_port_is_08001_and_give_up_stops_the_wait() {
        let (listener, port) = listener();
        let err = RedirectListener::bind(&format!("http://127.0.0.1:{port}/cb"))
            .err()
            .unwrap();
        assert_eq!(err.state, SqlState::UnableToConnect);
        assert!(err.message.contains("already in use"), "{}", err.message);
        let deadline = Instant::now() + Duration::from_secs(30);
        let err = listener
            .wait_for_code("st", deadline, &mut || {
                Some(OdbcError::general("browser failed"))
            })
            .unwrap_err();
        assert_eq!(err.message, "browser failed");
    }
}
