//! What every HTTP client of the driver (the API's and the OAuth server's)
//! shares: the route to the server (proxy), the certificates it trusts, the
//! user agent and the timeouts.

use super::proxy::{self, ProxySettings};
use super::tls::{self, ServerTrust};
use crate::diag::Result;
use std::time::Duration;

/// How a client reaches its server.
#[derive(Debug, Clone, Default)]
pub struct NetworkSettings {
    pub proxy: ProxySettings,
    pub server_trust: ServerTrust,
}

/// A client builder with the driver's user agent, `timeout` for the whole
/// request and for connecting (`None` waits forever), and `network`.
pub fn client_builder(
    network: &NetworkSettings,
    timeout: Option<Duration>,
) -> Result<reqwest::blocking::ClientBuilder> {
    super::install_crypto_provider();
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(concat!("pipedrive-odbc/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout);
    if let Some(t) = timeout {
        builder = builder.connect_timeout(t);
    }
    // The trust applies to an HTTPS proxy's certificate too: reqwest uses
    // the client's TLS configuration for the proxy connection.
    builder = proxy::configure(builder, &network.proxy)?;
    tls::configure(builder, &network.server_trust)
}
