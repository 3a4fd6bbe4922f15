//! The simulator's HTTP/1.1 server: a listener that gives every client
//! connection its own thread ([`listener`]), which reads requests
//! ([`request`]) and hands each to a [`Handler`] ([`connection`]).
//!
//! Written for the simulator rather than taken from a crate: the handler
//! writes responses byte for byte (faults truncate, trickle or drop them),
//! and no request may wait for another client's connection to close, which
//! pooled servers cannot promise when clients hold keep-alive connections.

mod connection;
mod listener;
mod request;

pub(crate) use connection::{Exchange, Handler};
pub(crate) use listener::HttpServer;
pub(crate) use request::Request;
