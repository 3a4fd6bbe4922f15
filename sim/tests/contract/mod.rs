//! Support for tests/openapi_contract.rs: the simulator's answers checked
//! against the response schemas of Pipedrive's OpenAPI documents.
//!
//! * `spec`: the documents and operation lookups;
//! * `yaml`: YAML to JSON;
//! * `schema`: OpenAPI 3.0 schema to JSON Schema, compiled validators;
//! * `values`: parameter values and request bodies from spec and data;
//! * `http`: a minimal HTTP/1.1 client;
//! * `served_op`: an entry of `served_operations()`;
//! * `harness`: the walk over every served operation;
//! * `url`: query strings;
//! * `report`: what was validated and what failed.
//!
//! (Loaded with `#[path]`: tests/contract.rs is another test.)

pub mod harness;
pub mod http;
pub mod report;
pub mod schema;
pub mod served_op;
pub mod spec;
pub mod url;
pub mod values;
pub mod yaml;
