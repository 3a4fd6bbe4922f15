//! Validation of the URLs the driver sends credentials to (APIBaseURL,
//! OAuthBaseURL, CallbackURL) and derivation of the API base URL from
//! CompanyDomain.
//!
//! A deliberately small parser: `scheme://host[:port][/path]`, nothing else.
//! Credentials travel in every request, so the rule is `https://`, or
//! `http://` only when the host is a loopback host (`localhost`,
//! `127.0.0.0/8`, `[::1]`), which never leaves the machine. User information,
//! queries and fragments are rejected: a base URL has no use for them and
//! they are where credentials hide. Error messages name the property and the
//! problem but never echo the URL, since a pasted URL may carry a token.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::diag::{OdbcError, SqlState};

/// Host suffix of Pipedrive company domains.
const PIPEDRIVE_DOMAIN: &str = "pipedrive.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

/// A parsed, normalised `scheme://host[:port][/path]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HttpUrl {
    scheme: Scheme,
    /// Lower-case; IPv6 literals keep their brackets.
    host: String,
    port: Option<u16>,
    /// Empty, or starting with `/` and without a trailing `/`.
    path: String,
}

impl HttpUrl {
    fn to_base_url(&self) -> String {
        let scheme = match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        let port = self.port.map(|port| format!(":{port}")).unwrap_or_default();
        format!("{scheme}://{}{port}{}", self.host, self.path)
    }
}

/// Why a URL was rejected; the text completes "<property> ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlProblem {
    Empty,
    InvalidCharacter,
    MissingScheme,
    UnsupportedScheme,
    UserInfo,
    QueryOrFragment,
    InvalidHost,
    InvalidPort,
    InvalidPath,
    InsecureHttp,
    HasPath,
}

impl UrlProblem {
    fn describe(self) -> &'static str {
        match self {
            UrlProblem::Empty => "is empty",
            UrlProblem::InvalidCharacter => "contains whitespace or control characters",
            UrlProblem::MissingScheme => "must start with https:// (or http:// for a loopback host)",
            UrlProblem::UnsupportedScheme => "must use the https scheme (or http for a loopback host)",
            UrlProblem::UserInfo => "must not contain user information (user:password@)",
            UrlProblem::QueryOrFragment => "must not contain a query (?) or fragment (#)",
            UrlProblem::InvalidHost => "does not name a valid host",
            UrlProblem::InvalidPort => "has a port that is not a number from 1 to 65535",
            UrlProblem::InvalidPath => "has a path with characters a URL path cannot contain",
            UrlProblem::InsecureHttp => {
                "uses http://, which is only allowed for localhost, 127.0.0.0/8 and [::1]; use https://"
            }
            UrlProblem::HasPath => "must be a company name or host name, without a path",
        }
    }
}

fn url_error(property: &str, problem: UrlProblem) -> OdbcError {
    OdbcError::new(
        SqlState::UnableToConnect,
        format!("{property} {}", problem.describe()),
    )
}

/// Validates a base URL property and returns it normalised (lower-case scheme
/// and host, no trailing `/`).
pub fn validate_base_url(property: &str, raw: &str) -> Result<String, OdbcError> {
    parse_http_url(raw.trim())
        .map(|url| url.to_base_url())
        .map_err(|problem| url_error(property, problem))
}

/// The API base URL for a CompanyDomain given as `acme`,
/// `acme.pipedrive.com` or `https://acme.pipedrive.com` (trailing `/`
/// allowed): `https://acme.pipedrive.com`. A full host name is used as is.
pub fn api_base_url_from_company_domain(property: &str, raw: &str) -> Result<String, OdbcError> {
    let value = raw.trim().trim_end_matches('/');
    let url = if value.contains("://") {
        parse_http_url(value)
    } else if is_host_label(value) {
        parse_http_url(&format!(
            "https://{}.{PIPEDRIVE_DOMAIN}",
            value.to_ascii_lowercase()
        ))
    } else {
        parse_http_url(&format!("https://{value}"))
    }
    .map_err(|problem| url_error(property, problem))?;
    if !url.path.is_empty() {
        return Err(url_error(property, UrlProblem::HasPath));
    }
    Ok(url.to_base_url())
}

/// Whether `host` (as it appears in a URL) is a loopback host.
pub fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(literal) = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return match literal.parse::<Ipv6Addr>() {
            Ok(address) => {
                address.is_loopback()
                    || address
                        .to_ipv4_mapped()
                        .is_some_and(|mapped| mapped.is_loopback())
            }
            Err(_) => false,
        };
    }
    host.parse::<Ipv4Addr>()
        .is_ok_and(|address| address.is_loopback())
}

fn parse_http_url(raw: &str) -> Result<HttpUrl, UrlProblem> {
    if raw.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::InvalidCharacter);
    }
    let (scheme, rest) = raw.split_once("://").ok_or(UrlProblem::MissingScheme)?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        Scheme::Https
    } else if scheme.eq_ignore_ascii_case("http") {
        Scheme::Http
    } else {
        return Err(UrlProblem::UnsupportedScheme);
    };
    if rest.contains(['?', '#']) {
        return Err(UrlProblem::QueryOrFragment);
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(UrlProblem::UserInfo);
    }
    let (host, port) = split_host_port(authority)?;
    if !is_valid_path(path) {
        return Err(UrlProblem::InvalidPath);
    }
    if scheme == Scheme::Http && !is_loopback_host(&host) {
        return Err(UrlProblem::InsecureHttp);
    }
    Ok(HttpUrl {
        scheme,
        host,
        port,
        path: path.trim_end_matches('/').to_string(),
    })
}

/// Splits `host[:port]` or `[v6]:port`, validating both parts.
fn split_host_port(authority: &str) -> Result<(String, Option<u16>), UrlProblem> {
    let (host, port_text) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (literal, after) = bracketed.split_once(']').ok_or(UrlProblem::InvalidHost)?;
        if literal.parse::<Ipv6Addr>().is_err() {
            return Err(UrlProblem::InvalidHost);
        }
        let port_text = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(UrlProblem::InvalidHost)?),
        };
        (format!("[{}]", literal.to_ascii_lowercase()), port_text)
    } else {
        let (host, port_text) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if !is_valid_host_name(host) {
            return Err(UrlProblem::InvalidHost);
        }
        (host.to_ascii_lowercase(), port_text)
    };
    let port = match port_text {
        None => None,
        Some(text) => Some(parse_port(text).ok_or(UrlProblem::InvalidPort)?),
    };
    Ok((host, port))
}

fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|port| *port != 0)
}

/// A DNS name or dotted IPv4 address: labels of letters, digits, `-` and
/// `_`, not starting or ending with `-`, separated by single dots.
fn is_valid_host_name(host: &str) -> bool {
    !host.is_empty() && host.len() <= 253 && host.split('.').all(is_host_label)
}

fn is_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// RFC 3986 path characters: unreserved, sub-delims, `:`, `@`, `/` and
/// well-formed percent escapes.
fn is_valid_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let escape_is_hex = bytes
                .get(index + 1..index + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !escape_is_hex {
                return false;
            }
            index += 3;
            continue;
        }
        let allowed = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&byte);
        if !allowed {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem_of(raw: &str) -> UrlProblem {
        parse_http_url(raw).unwrap_err()
    }

    #[test]
    fn https_urls_are_normalised() {
        assert_eq!(
            validate_base_url("APIBaseURL", "https://Acme.Pipedrive.com/").unwrap(),
            "https://acme.pipedrive.com"
        );
        assert_eq!(
            validate_base_url("APIBaseURL", "HTTPS://api.example.com:8443/v1//").unwrap(),
            "https://api.example.com:8443/v1"
        );
        assert_eq!(
            validate_base_url("APIBaseURL", "https://10.0.0.5/a%20b").unwrap(),
            "https://10.0.0.5/a%20b"
        );
    }

    #[test]
    fn http_is_allowed_only_for_loopback_hosts() {
        for url in [
            "http://localhost:8080",
            "http://LOCALHOST/x",
            "http://127.0.0.1:3000",
            "http://127.45.6.7",
            "http://[::1]:9000",
        ] {
            assert!(validate_base_url("APIBaseURL", url).is_ok(), "{url}");
        }
        for url in [
            "http://example.com",
            "http://128.0.0.1",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io",
            "http://[::2]",
            "http://0.0.0.0",
        ] {
            assert_eq!(problem_of(url), UrlProblem::InsecureHttp, "{url}");
        }
        assert_eq!(
            validate_base_url("APIBaseURL", "http://[::1]:9000/").unwrap(),
            "http://[::1]:9000"
        );
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host("localhost"));
        assert!(is_loopback_host("127.255.255.254"));
        assert!(is_loopback_host("[::1]"));
        assert!(is_loopback_host("[0:0:0:0:0:0:0:1]"));
        assert!(is_loopback_host("[::ffff:127.0.0.1]"));
        assert!(!is_loopback_host("::1"));
        assert!(!is_loopback_host("127.1"));
        assert!(!is_loopback_host("localhost."));
        assert!(!is_loopback_host("192.168.1.1"));
    }

    #[test]
    fn malformed_urls_are_rejected_with_the_reason() {
        assert_eq!(problem_of("acme.pipedrive.com"), UrlProblem::MissingScheme);
        assert_eq!(
            problem_of("ftp://acme.pipedrive.com"),
            UrlProblem::UnsupportedScheme
        );
        assert_eq!(
            problem_of("https://user:pw@acme.pipedrive.com"),
            UrlProblem::UserInfo
        );
        assert_eq!(
            problem_of("https://acme.pipedrive.com/?api_token=x"),
            UrlProblem::QueryOrFragment
        );
        assert_eq!(
            problem_of("https://acme.pipedrive.com#x"),
            UrlProblem::QueryOrFragment
        );
        assert_eq!(problem_of("https://"), UrlProblem::InvalidHost);
        assert_eq!(problem_of("https://a..b"), UrlProblem::InvalidHost);
        assert_eq!(problem_of("https://-a.com"), UrlProblem::InvalidHost);
        assert_eq!(problem_of("https://[::1"), UrlProblem::InvalidHost);
        assert_eq!(problem_of("https://[zz]"), UrlProblem::InvalidHost);
        assert_eq!(problem_of("https://a:b:c"), UrlProblem::InvalidPort);
        assert_eq!(problem_of("https://a.com:"), UrlProblem::InvalidPort);
        assert_eq!(problem_of("https://a.com:0"), UrlProblem::InvalidPort);
        assert_eq!(problem_of("https://a.com:65536"), UrlProblem::InvalidPort);
        assert_eq!(problem_of("https://a.com:+80"), UrlProblem::InvalidPort);
        assert_eq!(problem_of("https://a.com/%zz"), UrlProblem::InvalidPath);
        assert_eq!(problem_of("https://a.com/a\\b"), UrlProblem::InvalidPath);
        assert_eq!(problem_of("https://a .com"), UrlProblem::InvalidCharacter);
        assert_eq!(problem_of(""), UrlProblem::Empty);
    }

    #[test]
    fn errors_are_08001_name_the_property_and_do_not_echo_the_url() {
        let err = validate_base_url("OAuthBaseURL", "https://oauth.example.com/?token=s3cr3t")
            .unwrap_err();
        assert_eq!(err.state, SqlState::UnableToConnect);
        assert!(err.message.starts_with("OAuthBaseURL "), "{}", err.message);
        assert!(!err.message.contains("s3cr3t"));
        assert!(!err.message.contains("example"));
    }

    #[test]
    fn every_company_domain_form_gives_the_same_base_url() {
        for form in [
            "acme",
            "ACME",
            " acme ",
            "acme.pipedrive.com",
            "acme.pipedrive.com/",
            "https://acme.pipedrive.com",
            "https://acme.pipedrive.com/",
            "HTTPS://Acme.Pipedrive.com//",
        ] {
            assert_eq!(
                api_base_url_from_company_domain("CompanyDomain", form).unwrap(),
                "https://acme.pipedrive.com",
                "{form}"
            );
        }
    }

    #[test]
    fn company_domain_rejects_paths_insecure_http_and_junk() {
        for form in [
            "https://acme.pipedrive.com/api/v1",
            "acme.pipedrive.com/api",
            "http://acme.pipedrive.com",
            "acme pipedrive",
            "",
            "-acme",
        ] {
            let err = api_base_url_from_company_domain("CompanyDomain", form).unwrap_err();
            assert_eq!(err.state, SqlState::UnableToConnect, "{form}");
            assert!(err.message.starts_with("CompanyDomain "), "{}", err.message);
        }
        assert_eq!(
            api_base_url_from_company_domain("CompanyDomain", "http://localhost:8080/").unwrap(),
            "http://localhost:8080"
        );
    }
}
