//! Accepting connections: one thread accepts, and each connection gets a
//! thread of its own that serves it until it closes. Stopping shuts the
//! listening socket and every open connection down, then joins the
//! threads.

use super::connection::{serve, Handler};
use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server; dropping it stops it.
pub(crate) struct HttpServer {
    /// The listening socket, kept to shut it down (which ends a pending
    /// accept at once on Linux).
    listener: socket2::Socket,
    accept_thread: Option<JoinHandle<()>>,
    live: Arc<LiveConnections>,
    port: u16,
}

fn accepting_port(listener: &socket2::Socket) -> io::Result<u16> {
    listener
        .local_addr()?
        .as_socket()
        .map(|addr| addr.port())
        .ok_or_else(|| io::Error::other("the listener has no IP address"))
}

/// The connections being served, to shut them down when stopping.
#[derive(Default)]
struct LiveConnections {
    stopping: AtomicBool,
    next_id: AtomicU64,
    by_id: Mutex<HashMap<u64, LiveConnection>>,
}

struct LiveConnection {
    /// A second handle on the socket, for shutting it down.
    socket: TcpStream,
    thread: Option<JoinHandle<()>>,
}

impl LiveConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, LiveConnection>> {
        // A panic while holding this lock leaves the map consistent.
        self.by_id.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl HttpServer {
    /// Serves connections accepted on `listener` (already listening) with
    /// `handler`.
    pub(crate) fn start(listener: socket2::Socket, handler: Arc<dyn Handler>) -> io::Result<Self> {
        let accepting = TcpListener::from(listener.try_clone()?);
        let live = Arc::new(LiveConnections::default());
        let accept_thread = {
            let live = Arc::clone(&live);
            std::thread::Builder::new()
                .name("pipedrive-sim-accept".into())
                .spawn(move || accept_until_stopped(&accepting, &handler, &live))?
        };
        Ok(HttpServer {
            port: accepting_port(&listener)?,
            listener,
            accept_thread: Some(accept_thread),
            live,
        })
    }
}

impl HttpServer {
    /// The port it listens on (on 127.0.0.1).
    pub(crate) fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.live.stopping.store(true, Ordering::SeqCst);
        let _ = self.listener.shutdown(Shutdown::Both);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
        // No connection is added after the accept thread has ended.
        let connections: Vec<LiveConnection> = self.live.lock().drain().map(|(_, c)| c).collect();
        for connection in &connections {
            let _ = connection.socket.shutdown(Shutdown::Both);
        }
        for connection in connections {
            if let Some(thread) = connection.thread {
                let _ = thread.join();
            }
        }
    }
}

fn accept_until_stopped(
    listener: &TcpListener,
    handler: &Arc<dyn Handler>,
    live: &Arc<LiveConnections>,
) {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) if live.stopping.load(Ordering::SeqCst) => return,
            // The client gave up before we took the connection.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            // Out of descriptors or memory: give serving connections a
            // moment to finish rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if live.stopping.load(Ordering::SeqCst) {
            return;
        }
        // Without it, Nagle's algorithm holds the last segment of a
        // response until the client's delayed ACK (~40 ms per page).
        let _ = stream.set_nodelay(true);
        let Ok(socket) = stream.try_clone() else {
            continue;
        };
        let id = live.next_id.fetch_add(1, Ordering::Relaxed);
        live.lock().insert(
            id,
            LiveConnection {
                socket,
                thread: None,
            },
        );
        let spawned = {
            let (handler, live) = (Arc::clone(handler), Arc::clone(live));
            std::thread::Builder::new()
                .name(format!("pipedrive-sim-conn-{id}"))
                .spawn(move || {
                    serve(stream, handler.as_ref());
                    live.lock().remove(&id);
                })
        };
        match spawned {
            // Unless it has already finished (and removed itself).
            Ok(thread) => {
                if let Some(connection) = live.lock().get_mut(&id) {
                    connection.thread = Some(thread);
                }
            }
            // The stream went with the failed closure: it is closed.
            Err(_) => {
                live.lock().remove(&id);
            }
        }
    }
}
