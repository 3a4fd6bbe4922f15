//! Data sources on Windows: the driver manager keeps them in the registry,
//! read through the installer API exactly as the driver manager does
//! (user data sources before system ones, ODBC_BOTH_DSN).

use super::dsn::DsnSource;
use crate::setup::installer_api;

/// The data sources of the ODBC Data Source Administrator.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegistryDsns;

impl DsnSource for RegistryDsns {
    fn lookup(&self, dsn: &str) -> Option<Vec<(String, String)>> {
        let dsn = dsn.trim();
        let keys = installer_api::data_source_keys(dsn);
        if keys.is_empty() {
            return None;
        }
        Some(
            keys.into_iter()
                .map(|key| {
                    let value = installer_api::data_source_value(dsn, &key);
                    (key, value)
                })
                .collect(),
        )
    }
}
