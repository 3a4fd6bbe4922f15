//! `SSLServerCert`: which server certificates to trust besides the system's
//! certificate authorities. The value is read here only for its form; the
//! certificates themselves are loaded when a connection is opened
//! (`crate::api::ServerTrust::load`), so a file that changes between
//! connections is read afresh.

use std::path::PathBuf;

/// What `SSLServerCert` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SslServerCert {
    /// `*`: accept any server certificate. Insecure (anyone on the network
    /// path can impersonate the server and read the credentials); CData's
    /// drivers give `*` this meaning, so users expect it for testing.
    AcceptAny,
    /// PEM text given in the value itself.
    Pem(String),
    /// A file of PEM certificates.
    PemFile(PathBuf),
}

/// Every PEM block starts so; a value starting so is PEM text, not a path.
const PEM_BEGIN: &str = "-----BEGIN";

impl SslServerCert {
    /// Reads the form of a set (non-empty) value: `*`, PEM text, or a path.
    pub fn parse(text: &str) -> SslServerCert {
        let trimmed = text.trim();
        if trimmed == "*" {
            SslServerCert::AcceptAny
        } else if trimmed.starts_with(PEM_BEGIN) {
            SslServerCert::Pem(trimmed.to_string())
        } else {
            SslServerCert::PemFile(PathBuf::from(trimmed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_accepts_any_certificate() {
        assert_eq!(SslServerCert::parse("*"), SslServerCert::AcceptAny);
        assert_eq!(SslServerCert::parse(" * "), SslServerCert::AcceptAny);
    }

    #[test]
    fn pem_text_is_recognised_by_its_begin_line() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assert_eq!(
            SslServerCert::parse(&format!("  {pem}\n")),
            SslServerCert::Pem(pem.to_string())
        );
        // On one line, as a DSN in odbc.ini has to give it.
        let one_line = "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----";
        assert_eq!(
            SslServerCert::parse(one_line),
            SslServerCert::Pem(one_line.to_string())
        );
    }

    #[test]
    fn anything_else_is_a_path() {
        assert_eq!(
            SslServerCert::parse(" /etc/ssl/private-ca.pem "),
            SslServerCert::PemFile(PathBuf::from("/etc/ssl/private-ca.pem"))
        );
        assert_eq!(
            SslServerCert::parse(r"C:\certs\ca.pem"),
            SslServerCert::PemFile(PathBuf::from(r"C:\certs\ca.pem"))
        );
        // A path merely containing a star is still a path.
        assert_eq!(
            SslServerCert::parse("certs/*.pem"),
            SslServerCert::PemFile(PathBuf::from("certs/*.pem"))
        );
    }
}
