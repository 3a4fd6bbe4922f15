//! Proxy settings (ProxyServer, ProxyPort, ProxyUser, ProxyPassword,
//! ProxyAutoDetect, ProxyExceptions) applied to the HTTP client.

use crate::diag::{OdbcError, Result, SqlState};

/// How requests reach the API.
#[derive(Clone, Default)]
pub struct ProxySettings {
    /// Host, `host:port` or URL of the proxy; `None` for no explicit proxy.
    pub server: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    /// Never printed.
    pub password: Option<String>,
    /// Use the proxy the environment names (HTTPS_PROXY, HTTP_PROXY,
    /// NO_PROXY) when no server is given.
    pub auto_detect: bool,
    /// Hosts (or domain suffixes) reached directly.
    pub exceptions: Vec<String>,
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxySettings")
            .field("server", &self.server)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "********"))
            .field("auto_detect", &self.auto_detect)
            .field("exceptions", &self.exceptions)
            .finish()
    }
}

/// The proxy URL from server and port (`http://` when no scheme is given).
fn proxy_url(server: &str, port: Option<u16>) -> String {
    let with_scheme = if server.contains("://") {
        server.to_string()
    } else {
        format!("http://{server}")
    };
    match port {
        Some(p) => format!("{}:{p}", with_scheme.trim_end_matches('/')),
        None => with_scheme,
    }
}

/// Applies the settings: an explicit proxy, the environment's, or none.
pub fn configure(
    builder: reqwest::blocking::ClientBuilder,
    settings: &ProxySettings,
) -> Result<reqwest::blocking::ClientBuilder> {
    let Some(server) = settings.server.as_deref().filter(|s| !s.trim().is_empty()) else {
        // Without an explicit server the environment's proxy applies only
        // when asked for: a driver must not silently route elsewhere.
        return Ok(if settings.auto_detect {
            builder
        } else {
            builder.no_proxy()
        });
    };
    let url = proxy_url(server.trim(), settings.port);
    let mut proxy = reqwest::Proxy::all(&url).map_err(|_| {
        OdbcError::new(
            SqlState::InvalidAttributeValue,
            "ProxyServer/ProxyPort do not form a valid proxy address",
        )
    })?;
    if let Some(user) = &settings.user {
        proxy = proxy.basic_auth(user, settings.password.as_deref().unwrap_or(""));
    }
    if !settings.exceptions.is_empty() {
        proxy = proxy.no_proxy(reqwest::NoProxy::from_string(
            &settings.exceptions.join(","),
        ));
    }
    Ok(builder.proxy(proxy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_get_a_scheme_and_port() {
        assert_eq!(
            proxy_url("proxy.local", Some(3128)),
            "http://proxy.local:3128"
        );
        assert_eq!(
            proxy_url("https://proxy.local/", Some(8443)),
            "https://proxy.local:8443"
        );
        assert_eq!(
            proxy_url("proxy.local:8080", None),
            "http://proxy.local:8080"
        );
    }

    #[test]
    fn the_password_never_prints() {
        let s = ProxySettings {
            password: Some("pw-secret-1".into()),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("pw-secret-1"));
    }
}
