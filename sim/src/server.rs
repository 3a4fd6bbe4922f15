//! The HTTP server: a tiny_http listener on 127.0.0.1 and a few worker
//! threads that take requests from it and answer through [`crate::api`].

use crate::api::{self, AppState, Request};
use crate::config::SimConfig;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::response::{write_response, ResponseHead};
use crate::routes::{api_of, Api};
use crate::stats::{Stats, StatsRecorder};
use crate::time;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use tiny_http::Server;

/// A running simulator. Dropping it stops the server and joins its threads.
pub struct Simulator {
    state: Arc<AppState>,
    server: Arc<Server>,
    /// A second handle on the listening socket, to stop accepting at once
    /// on drop (tiny_http's own shutdown closes it asynchronously).
    listener: socket2::Socket,
    workers: Vec<JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    port: u16,
}

impl Simulator {
    /// Binds `127.0.0.1:cfg.port` (0 = any free port) and starts serving.
    /// Returns once the socket is listening. Data is generated lazily, so
    /// this is fast even for millions of records.
    pub fn start(cfg: SimConfig) -> io::Result<Simulator> {
        cfg.validate()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let listener = loopback_listener(cfg.port)?;
        let server =
            Server::from_listener(std::net::TcpListener::from(listener.try_clone()?), None)
                .map_err(|e| io::Error::other(e.to_string()))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or_else(|| io::Error::other("listener has no IP address"))?;
        let server = Arc::new(server);
        let state = Arc::new(AppState {
            dataset: Dataset::new(&cfg),
            stats: StatsRecorder::default(),
            token: cfg.token.clone(),
        });
        let stopping = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        for n in 0..cfg.workers.max(1) {
            let (server, state, stopping) = (
                Arc::clone(&server),
                Arc::clone(&state),
                Arc::clone(&stopping),
            );
            let worker = std::thread::Builder::new()
                .name(format!("pipedrive-sim-{n}"))
                .spawn(move || serve_until_stopped(&server, &state, &stopping))?;
            workers.push(worker);
        }
        Ok(Simulator {
            state,
            server,
            listener,
            workers,
            stopping,
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`: the root under which `/api/v1` and
    /// `/api/v2` live.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The API token the simulator accepts.
    pub fn token(&self) -> &str {
        &self.state.token
    }

    pub fn stats(&self) -> Stats {
        self.state.stats.snapshot()
    }

    pub fn reset_stats(&self) {
        self.state.stats.reset()
    }

    /// The data being served, for computing expected answers in tests.
    pub fn dataset(&self) -> &Dataset {
        &self.state.dataset
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Shutting down a listening socket makes Linux refuse new
        // connections immediately and fails tiny_http's pending accept(),
        // which ends its accept thread.
        let _ = self.listener.shutdown(std::net::Shutdown::Both);
        // Each unblock wakes exactly one worker waiting in recv().
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// A listening socket on 127.0.0.1 with TCP_NODELAY, which Linux passes on
/// to accepted connections (tiny_http gives no access to those).
fn loopback_listener(port: u16) -> io::Result<socket2::Socket> {
    use socket2::{Domain, Protocol, SockAddr, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.set_tcp_nodelay(true)?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    socket.bind(&SockAddr::from(addr))?;
    socket.listen(1024)?;
    Ok(socket)
}

fn serve_until_stopped(server: &Server, state: &AppState, stopping: &AtomicBool) {
    loop {
        match server.recv() {
            Ok(request) => respond(state, request),
            // recv() fails when unblocked for shutdown, and on connection
            // errors, which only concern that connection.
            Err(_) if stopping.load(Ordering::SeqCst) => return,
            Err(_) => continue,
        }
    }
}

fn respond(state: &AppState, request: tiny_http::Request) {
    let token = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("x-api-token"))
        .map(|h| h.value.as_str().to_string());
    let url = request.url().to_string();
    let method = request.method().as_str().to_string();
    let version = request.http_version();
    let http_version = (version.0, version.1);
    let req = Request {
        method: &method,
        url: &url,
        api_token: token.as_deref(),
    };
    // A bug in a handler must cost one 500, not a worker thread.
    let reply = catch_unwind(AssertUnwindSafe(|| api::handle(state, &req))).unwrap_or_else(|_| {
        let api = api_of(url.split('?').next().unwrap_or("")).unwrap_or(Api::V2);
        let err = ApiError::internal();
        api::Reply {
            status: err.status,
            body: err.body(api),
            rows: 0,
            allow: None,
        }
    });
    let allow = reply.allow.map(|a| [("Allow", a)]);
    let head = ResponseHead {
        http_version,
        status: reply.status,
        content_type: "application/json",
        extra_headers: allow.as_ref().map_or(&[], |a| a.as_slice()),
        now: time::now(),
    };
    let mut writer = request.into_writer();
    // The client may have hung up; nothing to do about it.
    let _ = write_response(&mut *writer, &head, &reply.body, method == "HEAD");
}
