//! The simulator: its HTTP server on 127.0.0.1 ([`crate::http`]), which
//! answers every request through the [`crate::gateway`] (OAuth, rate
//! limits, faults, request log) and [`crate::api`], and the controls tests
//! use (clock, OAuth, rate limits, faults, request log, dataset).

use crate::api::AppState;
use crate::clock::SimClock;
use crate::config::SimConfig;
use crate::data::snapshot::{self, SaveMode};
use crate::data::Dataset;
use crate::faults::{FaultInjector, Faults};
use crate::gateway::Gateway;
use crate::http::HttpServer;
use crate::oauth::{OAuthClient, OAuthConsent, OAuthStore, OAuthTokens};
use crate::persist::Persist;
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::request_log::{LoggedRequest, RequestLog};
use crate::stats::{Stats, StatsRecorder};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A running simulator. Dropping it stops the server, closes every client
/// connection and joins its threads.
pub struct Simulator {
    /// Stops serving when dropped.
    server: HttpServer,
    gateway: Arc<Gateway>,
}

/// Checks the parts of a configuration the server itself uses.
pub(crate) fn validate(cfg: &SimConfig) -> Result<(), String> {
    cfg.validate()?;
    cfg.oauth.validate()?;
    cfg.rate_limits.validate()?;
    cfg.faults.validate()
}

impl Simulator {
    /// Binds `127.0.0.1:cfg.port` (0 = any free port) and starts serving.
    /// Returns once the socket is listening. Data is generated lazily, so
    /// this is fast even for millions of records.
    ///
    /// With `cfg.data_file` the dataset is loaded from that file; a file
    /// that cannot be read or is not a valid dataset file is an
    /// `InvalidData` error naming the problem and where it is.
    pub fn start(cfg: SimConfig) -> io::Result<Simulator> {
        validate(&cfg).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let listener = loopback_listener(cfg.port)?;
        let port = listener
            .local_addr()?
            .as_socket()
            .map_or(cfg.port, |addr| addr.port());
        let dataset = match &cfg.data_file {
            Some(path) => {
                snapshot::load(path).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?
            }
            None => Dataset::new(&cfg),
        };
        let gateway = Arc::new(Gateway {
            api: AppState {
                dataset,
                stats: StatsRecorder::default(),
                token: cfg.token.clone(),
                persist: cfg.save_to.clone().map(Persist::new),
            },
            clock: SimClock::new(cfg.clock_start_ms),
            oauth: OAuthStore::new(cfg.seed, cfg.oauth.clone()),
            limiter: RateLimiter::new(cfg.rate_limits.clone()),
            faults: FaultInjector::new(cfg.faults.clone()),
            log: RequestLog::new(cfg.request_log_capacity),
            base_url: format!("http://127.0.0.1:{port}"),
        });
        let server = HttpServer::start(
            listener,
            Arc::clone(&gateway) as Arc<dyn crate::http::Handler>,
        )?;
        Ok(Simulator { server, gateway })
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `http://127.0.0.1:PORT`: the root under which `/api/v1`, `/api/v2`
    /// and `/oauth` live (use it as both API and OAuth base URL).
    pub fn base_url(&self) -> String {
        self.gateway.base_url.clone()
    }

    /// The API token the simulator accepts.
    pub fn token(&self) -> &str {
        &self.gateway.api.token
    }

    pub fn stats(&self) -> Stats {
        self.gateway.api.stats.snapshot()
    }

    /// Zeroes the request, row, error and token counters.
    pub fn reset_stats(&self) {
        self.gateway.api.stats.reset()
    }

    /// What `POST /__sim/reset` does: the counters and the request log.
    pub fn reset(&self) {
        self.gateway.log.reset();
        self.reset_stats();
    }

    /// The data being served, for computing expected answers in tests.
    pub fn dataset(&self) -> &Dataset {
        &self.gateway.api.dataset
    }

    /// Saves the dataset as a dataset file (see the README's "Dataset
    /// files"), atomically: `path` holds either its old content or the
    /// whole new dataset. Start a simulator from it with
    /// `SimConfig::data_file`.
    pub fn save_dataset(&self, path: &Path, mode: SaveMode) -> io::Result<()> {
        snapshot::save(&self.gateway.api.dataset, mode, path)
    }

    // ---- clock -------------------------------------------------------

    /// The simulator's clock, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.gateway.clock.now_ms()
    }

    /// Moves the simulator's clock forward: access tokens and codes age,
    /// rate-limit windows roll, and past UTC midnight the daily budget is
    /// new again.
    pub fn advance_clock(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.gateway.clock.advance_ms(ms);
    }

    // ---- OAuth -------------------------------------------------------

    /// Registers an OAuth app (replacing one with the same client id).
    pub fn register_oauth_client(&self, client: OAuthClient) {
        self.gateway.oauth.register_client(client);
    }

    /// Whether `/oauth/authorize` approves or declines from now on.
    pub fn set_oauth_consent(&self, consent: OAuthConsent) {
        self.gateway.oauth.set_consent(consent);
    }

    /// A fresh token pair for a registered client, as the code flow would
    /// give (`None` for an unknown client): for tests that need a bearer
    /// token rather than the flow itself.
    pub fn issue_oauth_tokens(&self, client_id: &str) -> Option<OAuthTokens> {
        let now = self.gateway.clock.now_ms();
        self.gateway.oauth.issue_directly(client_id, now)
    }

    /// Makes every access token issued so far expired; API calls with them
    /// get 401 `Invalid token: access token has expired` until refreshed.
    pub fn expire_access_tokens(&self) {
        let now = self.gateway.clock.now_ms();
        self.gateway.oauth.expire_access_tokens(now);
    }

    /// Revokes a refresh token; false if it was not live.
    pub fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        self.gateway.oauth.revoke_refresh_token(refresh_token)
    }

    // ---- rate limits -------------------------------------------------

    pub fn rate_limits(&self) -> RateLimits {
        self.gateway.limiter.limits()
    }

    /// Replaces the rate limits; windows and the day's spending carry on.
    pub fn set_rate_limits(&self, limits: RateLimits) -> Result<(), String> {
        limits.validate()?;
        self.gateway.limiter.set_limits(limits);
        Ok(())
    }

    /// Forgets the burst windows and the tokens spent today.
    pub fn reset_rate_limits(&self) {
        self.gateway.limiter.reset();
    }

    /// Tokens charged to the daily budget since the last UTC midnight (on
    /// the simulator's clock), whether or not a budget is set.
    pub fn tokens_spent_today(&self) -> u64 {
        let now = self.gateway.clock.now_ms();
        self.gateway.limiter.spent_today(now)
    }

    // ---- faults ------------------------------------------------------

    pub fn faults(&self) -> Faults {
        self.gateway.faults.faults()
    }

    /// Replaces the fault rules (and restarts their request counts).
    pub fn set_faults(&self, faults: Faults) -> Result<(), String> {
        faults.validate()?;
        self.gateway.faults.set(faults);
        Ok(())
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        let seed = self.gateway.faults.faults().seed;
        self.gateway.faults.set(Faults {
            seed,
            rules: Vec::new(),
        });
    }

    // ---- request log -------------------------------------------------

    /// The logged requests, oldest first (at most
    /// `SimConfig::request_log_capacity` of them).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.gateway.log.since(0)
    }

    /// The logged requests with a sequence number above `seq`.
    pub fn requests_since(&self, seq: u64) -> Vec<LoggedRequest> {
        self.gateway.log.since(seq)
    }

    /// Empties the request log; numbering starts again at 1.
    pub fn reset_requests(&self) {
        self.gateway.log.reset();
    }
}

/// A listening socket on 127.0.0.1 with a deep backlog, so that a burst of
/// connecting clients is never refused.
fn loopback_listener(port: u16) -> io::Result<socket2::Socket> {
    use socket2::{Domain, Protocol, SockAddr, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    socket.bind(&SockAddr::from(addr))?;
    socket.listen(1024)?;
    Ok(socket)
}
