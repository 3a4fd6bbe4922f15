//! The Pipedrive HTTP client: requests, the response envelope and error
//! mapping, and paging. It knows nothing of SQL or ODBC handles.

mod client;
mod errors;
pub mod interrupt;
mod network;
pub mod pacing;
mod pages;
mod proxy;
mod retry;
mod tls;
mod write;

pub use client::{
    install_crypto_provider, ApiClient, ClientSettings, Credentials, Decoded, TokenProvider,
};
pub use errors::error_from_response;
pub use network::{client_builder, NetworkSettings};
pub use pages::{PageStream, StartAt};
pub use proxy::ProxySettings;
pub use retry::RetryPolicy;
pub use tls::{certificate_refusal, ServerTrust};
pub use write::{WriteFailure, WriteOutcome};
