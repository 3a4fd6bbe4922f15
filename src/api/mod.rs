//! The Pipedrive HTTP client: requests, the response envelope and error
//! mapping, and paging. It knows nothing of SQL or ODBC handles.

mod client;
mod errors;
mod pages;
mod proxy;
mod retry;

pub use client::{ApiClient, ClientSettings, Credentials};
pub use errors::error_from_response;
pub use pages::{PageStream, StartAt};
pub use proxy::ProxySettings;
pub use retry::RetryPolicy;
