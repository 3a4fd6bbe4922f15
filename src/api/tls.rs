//! Which server certificates the driver's HTTP clients trust
//! (`SSLServerCert`), and how a refused server certificate is reported.
//!
//! TLS is always verified against the system's certificate authorities
//! (reqwest's rustls-platform-verifier: the OS trust store, which on Linux
//! is the ca-certificates bundle). `SSLServerCert` adds certificates to
//! trust on top of those, for a private CA or a self-signed server
//! certificate; it never removes the system's, and never relaxes the host
//! name check. Only `SSLServerCert=*` turns verification off.

use crate::config::SslServerCert;
use crate::diag::{OdbcError, Result, SqlState};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::CertificateDer;
use rustls::CertificateError;

/// The certificates a client trusts when it connects over TLS.
#[derive(Clone, Default)]
pub enum ServerTrust {
    /// The system's certificate authorities.
    #[default]
    SystemRoots,
    /// The system's certificate authorities and these certificates (DER),
    /// each a trust anchor: a CA, or a server's own self-signed certificate.
    SystemRootsAnd(Vec<CertificateDer<'static>>),
    /// No verification: any certificate, for any name (`SSLServerCert=*`).
    AnyCertificate,
}

impl std::fmt::Debug for ServerTrust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerTrust::SystemRoots => f.write_str("SystemRoots"),
            ServerTrust::SystemRootsAnd(certificates) => {
                write!(f, "SystemRootsAnd({} certificates)", certificates.len())
            }
            ServerTrust::AnyCertificate => f.write_str("AnyCertificate"),
        }
    }
}

/// Names the property in every message about its value.
const PROPERTY: &str = "SSLServerCert";

impl ServerTrust {
    /// Loads what `SSLServerCert` names. A file that cannot be read, or
    /// PEM that holds no usable certificate, is an error (08001) naming the
    /// property and the file: connecting while silently trusting less than
    /// the user asked for would only fail later with a vaguer message.
    pub fn load(setting: Option<&SslServerCert>) -> Result<ServerTrust> {
        match setting {
            None => Ok(ServerTrust::SystemRoots),
            Some(SslServerCert::AcceptAny) => Ok(ServerTrust::AnyCertificate),
            Some(SslServerCert::Pem(text)) => {
                certificates_from_pem(text, "the PEM text").map(ServerTrust::SystemRootsAnd)
            }
            Some(SslServerCert::PemFile(path)) => {
                let shown = format!("the file '{}'", path.display());
                let bytes = std::fs::read(path).map_err(|e| {
                    unusable_setting(format!("could not read the file '{}': {e}", path.display()))
                })?;
                // PEM is ASCII; anything else fails below as "no certificate".
                let text = String::from_utf8_lossy(&bytes);
                certificates_from_pem(&text, &shown).map(ServerTrust::SystemRootsAnd)
            }
        }
    }

    pub fn accepts_any_certificate(&self) -> bool {
        matches!(self, ServerTrust::AnyCertificate)
    }
}

/// Applies the trust to a client under construction.
pub fn configure(
    builder: reqwest::blocking::ClientBuilder,
    trust: &ServerTrust,
) -> Result<reqwest::blocking::ClientBuilder> {
    match trust {
        ServerTrust::SystemRoots => Ok(builder),
        ServerTrust::SystemRootsAnd(certificates) => {
            let certificates = certificates
                .iter()
                .map(|der| reqwest::Certificate::from_der(der))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| unusable_setting(format!("a certificate was refused: {e}")))?;
            // Merged: the system's authorities stay trusted.
            Ok(builder.tls_certs_merge(certificates))
        }
        ServerTrust::AnyCertificate => Ok(builder.tls_danger_accept_invalid_certs(true)),
    }
}

/// Every certificate in PEM `text` (other blocks, such as a private key
/// saved in the same file, are skipped), each checked to be usable as a
/// trust anchor.
fn certificates_from_pem(text: &str, source: &str) -> Result<Vec<CertificateDer<'static>>> {
    let lines = pem_on_lines(text);
    let mut certificates = Vec::new();
    for item in CertificateDer::pem_slice_iter(lines.as_bytes()) {
        let certificate = item.map_err(|e| {
            unusable_setting(format!("{source} is not valid PEM: {}", pem_problem(&e)))
        })?;
        // rustls would refuse it only when the first connection is made,
        // as an "invalid peer certificate"; say now what is wrong.
        let mut check = rustls::RootCertStore::empty();
        check.add(certificate.clone()).map_err(|_| {
            unusable_setting(format!(
                "certificate {} in {source} is not a valid X.509 certificate",
                certificates.len() + 1
            ))
        })?;
        certificates.push(certificate);
    }
    if certificates.is_empty() {
        return Err(unusable_setting(format!(
            "{source} holds no certificate (a PEM block starting -----BEGIN CERTIFICATE-----; \
             convert a DER file with `openssl x509 -inform der -in cert.der -out cert.pem`)"
        )));
    }
    Ok(certificates)
}

/// PEM with every `-----BEGIN ...-----` / `-----END ...-----` marker on a
/// line of its own and the base64 between them on one line: the PEM reader
/// works by lines, and a DSN in odbc.ini (or the Windows registry) can only
/// hold the certificate on one line, with spaces where the line breaks were.
fn pem_on_lines(text: &str) -> String {
    const DASHES: &str = "-----";
    let mut out = String::with_capacity(text.len() + 8);
    let mut push_line = |line: &str| {
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    };
    let mut rest = text;
    loop {
        let Some(start) = rest.find(DASHES) else {
            push_line(&without_whitespace(rest));
            break;
        };
        let marker_end = rest[start + DASHES.len()..]
            .find(DASHES)
            .map(|label_length| start + DASHES.len() + label_length + DASHES.len());
        let Some(marker_end) = marker_end else {
            // An unterminated marker: left as it is for the reader to refuse.
            push_line(&without_whitespace(&rest[..start]));
            push_line(rest[start..].trim());
            break;
        };
        push_line(&without_whitespace(&rest[..start]));
        push_line(&rest[start..marker_end]);
        rest = &rest[marker_end..];
    }
    out
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What is wrong with the PEM, without quoting it.
fn pem_problem(error: &pem::Error) -> String {
    match error {
        pem::Error::MissingSectionEnd { .. } => {
            "a -----BEGIN block has no matching -----END line".to_string()
        }
        pem::Error::IllegalSectionStart { .. } => "a -----BEGIN line is malformed".to_string(),
        pem::Error::Base64Decode(_) => "a block's base64 text is damaged".to_string(),
        other => other.to_string(),
    }
}

/// 08001, like an unusable base URL: the connection cannot be made as
/// configured, and applications route class 08 to "connection failed".
fn unusable_setting(problem: String) -> OdbcError {
    OdbcError::new(SqlState::UnableToConnect, format!("{PROPERTY}: {problem}"))
}

/// When `err` failed because TLS refused the server's certificate: what to
/// tell the user (the reason, and what SSLServerCert can and cannot do).
pub fn certificate_refusal(err: &reqwest::Error) -> Option<String> {
    let refusal = refused_certificate(err)?;
    let (reason, advice) = match refusal {
        CertificateError::UnknownIssuer => (
            "it is not issued by a certificate authority the system trusts, nor by one in SSLServerCert".to_string(),
            "For a private certificate authority or a self-signed server certificate, give that certificate (PEM file or text) in SSLServerCert.",
        ),
        CertificateError::NotValidForName => (
            "it is not valid for this host name".to_string(),
            "Connect by a name the certificate lists; SSLServerCert adds trusted certificates but never relaxes the host name check.",
        ),
        CertificateError::NotValidForNameContext { expected, presented } => (
            format!(
                "it is not valid for the host name {} (it names {})",
                expected.to_str(),
                presented
                    .iter()
                    .map(|name| readable_name(name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "Connect by a name the certificate lists; SSLServerCert adds trusted certificates but never relaxes the host name check.",
        ),
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => (
            "it has expired or is not yet valid".to_string(),
            "Check the computer's clock and the server's certificate; SSLServerCert does not relax validity dates.",
        ),
        other => (
            other.to_string(),
            "SSLServerCert names certificates to trust in addition to the system's.",
        ),
    };
    Some(format!(
        "the server's certificate was not trusted: {reason}. {advice}"
    ))
}

/// `other.example` for rustls's `DnsName("other.example")` (the form it
/// reports presented names in), else the text as it is.
fn readable_name(presented: &str) -> &str {
    presented
        .split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(presented)
}

/// The certificate error in `err`'s chain of causes. rustls's error
/// travels inside `io::Error`s (nested), whose `source()` skips what they
/// wrap, so each I/O error is opened rather than followed.
fn refused_certificate(err: &reqwest::Error) -> Option<&CertificateError> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(refusal)) =
            current.downcast_ref::<rustls::Error>()
        {
            return Some(refusal);
        }
        cause = match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(wrapped) => Some(wrapped),
            None => current.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A self-signed certificate for `test.invalid` (openssl req -x509,
    /// EC P-256), used only as data here.
    const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBnDCCAUKgAwIBAgIUaiR0GZaFLYxXuvK2GV4FlfjU3BIwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMdGVzdC5pbnZhbGlkMB4XDTI2MTEyODE3MTE1NFoXDTM2MTEy
NTE3MTE1NFowFzEVMBMGA1UEAwwMdGVzdC5pbnZhbGlkMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAE3+VO9ha73grJVnDp/8ftOVB/s4+pn6z0N5cTVlSfoIQAWZwc
I8Zf2TMx15roSLExLVQ2DeAMELLXZOtflLmh+aNsMGowHQYDVR0OBBYEFGKGNUer
Ryt1+mk87DJNtMP2OvNHMB8GA1UdIwQYMBaAFGKGNUerRyt1+mk87DJNtMP2OvNH
MA8GA1UdEwEB/wQFMAMBAf8wFwYDVR0RBBAwDoIMdGVzdC5pbnZhbGlkMAoGCCqG
SM49BAMCA0gAMEUCIQCK8K2tXNxIWK39uPMVwj9AEnP9LlJjfkCdYtKNXQQmTQIg
PnxcPc355z7iN5YkTXVPVDy9BiGFWDpFLl1UUu4veVM=
-----END CERTIFICATE-----";

    fn trusted_count(trust: ServerTrust) -> usize {
        match trust {
            ServerTrust::SystemRootsAnd(certificates) => certificates.len(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn no_setting_trusts_the_system_and_a_star_anything() {
        assert!(matches!(
            ServerTrust::load(None),
            Ok(ServerTrust::SystemRoots)
        ));
        let any = ServerTrust::load(Some(&SslServerCert::AcceptAny)).unwrap();
        assert!(any.accepts_any_certificate());
    }

    #[test]
    fn pem_text_adds_its_certificates() {
        let two = format!("{CERTIFICATE}\n{CERTIFICATE}\n");
        let trust = ServerTrust::load(Some(&SslServerCert::Pem(two))).unwrap();
        assert_eq!(format!("{trust:?}"), "SystemRootsAnd(2 certificates)");
        assert_eq!(trusted_count(trust), 2);
    }

    #[test]
    fn pem_on_one_line_is_accepted() {
        let one_line = CERTIFICATE.replace('\n', " ");
        let trust = ServerTrust::load(Some(&SslServerCert::Pem(one_line))).unwrap();
        assert_eq!(trusted_count(trust), 1);
        let no_spaces = CERTIFICATE.replace('\n', "");
        let trust = ServerTrust::load(Some(&SslServerCert::Pem(no_spaces))).unwrap();
        assert_eq!(trusted_count(trust), 1);
        let windows = CERTIFICATE.replace('\n', "\r\n");
        let trust = ServerTrust::load(Some(&SslServerCert::Pem(windows))).unwrap();
        assert_eq!(trusted_count(trust), 1);
    }

    #[test]
    fn other_pem_blocks_are_skipped() {
        let with_key = format!(
            "subject=CN = test.invalid\n-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n{CERTIFICATE}\n"
        );
        let trust = ServerTrust::load(Some(&SslServerCert::Pem(with_key))).unwrap();
        assert_eq!(trusted_count(trust), 1);
    }

    #[test]
    fn a_pem_file_is_read() {
        let path = std::env::temp_dir().join(format!("tls-unit-{}.pem", std::process::id()));
        std::fs::write(&path, CERTIFICATE).unwrap();
        let trust = ServerTrust::load(Some(&SslServerCert::PemFile(path.clone())));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(trusted_count(trust.unwrap()), 1);
    }

    #[test]
    fn unusable_values_are_08001_naming_the_property_and_file() {
        let missing = PathBuf::from("/nonexistent/private-ca.pem");
        let err = ServerTrust::load(Some(&SslServerCert::PemFile(missing))).unwrap_err();
        assert_eq!(err.state, SqlState::UnableToConnect);
        assert!(err.message.contains("SSLServerCert"), "{}", err.message);
        assert!(
            err.message.contains("/nonexistent/private-ca.pem"),
            "{}",
            err.message
        );

        let no_certificate = "-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----";
        let err = ServerTrust::load(Some(&SslServerCert::Pem(no_certificate.into()))).unwrap_err();
        assert_eq!(err.state, SqlState::UnableToConnect);
        assert!(err.message.contains("no certificate"), "{}", err.message);

        let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB";
        let err = ServerTrust::load(Some(&SslServerCert::Pem(unterminated.into()))).unwrap_err();
        assert!(err.message.contains("-----END"), "{}", err.message);

        let damaged = "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----";
        let err = ServerTrust::load(Some(&SslServerCert::Pem(damaged.into()))).unwrap_err();
        assert!(err.message.contains("base64"), "{}", err.message);
        assert!(!err.message.contains("!!not"), "{}", err.message);

        let not_a_certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        let err =
            ServerTrust::load(Some(&SslServerCert::Pem(not_a_certificate.into()))).unwrap_err();
        assert!(
            err.message.contains("not a valid X.509 certificate"),
            "{}",
            err.message
        );
    }

    #[test]
    fn presented_names_are_shown_plainly() {
        assert_eq!(readable_name("DnsName(\"other.example\")"), "other.example");
        assert_eq!(readable_name("192.0.2.1"), "192.0.2.1");
    }

    #[test]
    fn markers_go_on_lines_of_their_own() {
        assert_eq!(
            pem_on_lines("x -----BEGIN CERTIFICATE----- AB CD\n EF -----END CERTIFICATE-----"),
            "x\n-----BEGIN CERTIFICATE-----\nABCDEF\n-----END CERTIFICATE-----\n"
        );
        assert_eq!(pem_on_lines("AB -----BEGIN"), "AB\n-----BEGIN\n");
    }
}
