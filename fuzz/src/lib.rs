//! Helpers shared by the fuzz targets: sample API records for every built-in
//! table and an in-memory `Backend` serving them.

pub mod memory_backend;
pub mod sample_records;
