//! TLS server verification (`SSLServerCert`) through unixODBC, against the
//! simulator behind a TLS-terminating forwarder.
//!
//! Each test generates its own certificate authorities and server
//! certificates with the `openssl` command (into a temporary directory), so
//! nothing here is trusted by the system: without `SSLServerCert` every
//! connection must be refused, and with it only the right CA and host name
//! may connect.

mod common;

use odbc_api::{ConnectionOptions, Environment};
use pipedrive_sim::{OAuthClient, OAuthSettings, SimConfig, Simulator};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------------------
// Certificates

/// A directory of test certificates, removed when dropped.
struct Pki {
    dir: PathBuf,
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn openssl(args: &[&str], dir: &Path) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command runs");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every key is EC P-256: fast to generate, and supported by ring.
const KEY: [&str; 4] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

impl Pki {
    fn new(test: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("pd-tls-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `<name>.pem` and `<name>.key`: a root CA.
    fn certificate_authority(&self, name: &str) -> PathBuf {
        let (cert, key) = (format!("{name}.pem"), format!("{name}.key"));
        let subject = format!("/CN=pipedrive-odbc test {name}");
        let mut args = vec!["req", "-x509", "-nodes", "-days", "2"];
        args.extend(KEY);
        args.extend([
            "-keyout",
            &key,
            "-out",
            &cert,
            "-subj",
            &subject,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&args, &self.dir);
        self.path(&cert)
    }

    /// `<name>.pem` and `<name>.key`: a server certificate for `names`
    /// (subjectAltName entries such as `DNS:localhost`) issued by the CA
    /// `issuer`.
    fn server_certificate(&self, name: &str, names: &str, issuer: &str) -> PathBuf {
        let (cert, key, csr, ext) = (
            format!("{name}.pem"),
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.ext"),
        );
        std::fs::write(
            self.path(&ext),
            format!(
                "subjectAltName={names}\nbasicConstraints=critical,CA:FALSE\n\
                 keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            ),
        )
        .unwrap();
        let mut args = vec!["req", "-new", "-nodes"];
        args.extend(KEY);
        args.extend(["-keyout", &key, "-out", &csr, "-subj", "/CN=test server"]);
        openssl(&args, &self.dir);
        let (issuer_cert, issuer_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
        openssl(
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &issuer_cert,
                "-CAkey",
                &issuer_key,
                "-set_serial",
                "2",
                "-days",
                "2",
                "-extfile",
                &ext,
                "-out",
                &cert,
            ],
            &self.dir,
        );
        self.path(&cert)
    }

    /// `<name>.pem` and `<name>.key`: a self-signed server certificate for
    /// `names`, not a CA (what a pinned server certificate looks like).
    fn self_signed_server_certificate(&self, name: &str, names: &str) -> PathBuf {
        let (cert, key) = (format!("{name}.pem"), format!("{name}.key"));
        let alt_names = format!("subjectAltName={names}");
        let mut args = vec!["req", "-x509", "-nodes", "-days", "2"];
        args.extend(KEY);
        args.extend([
            "-keyout",
            &key,
            "-out",
            &cert,
            "-subj",
            "/CN=self-signed test server",
            "-addext",
            &alt_names,
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ]);
        openssl(&args, &self.dir);
        self.path(&cert)
    }

    /// The simulator's plain HTTP port behind TLS with certificate `name`.
    fn serve(&self, name: &str, sim: &Simulator) -> u16 {
        let chain = CertificateDer::pem_file_iter(self.path(&format!("{name}.pem")))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(self.path(&format!("{name}.key"))).unwrap();
        start_tls_forwarder(chain, key, ([127, 0, 0, 1], sim.port()).into())
    }
}

// ---------------------------------------------------------------------------
// The TLS-terminating forwarder

/// Accepts TLS on a loopback port and forwards the plaintext to `backend`,
/// a thread per connection; returns the port.
fn start_tls_forwarder(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    backend: SocketAddr,
) -> u16 {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("a usable server certificate");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                // A client refusing the certificate ends its connection
                // with an error here; that is what some tests expect.
                let _ = forward(client, config, backend);
            });
        }
    });
    port
}

/// One connection: the client's TLS records are decrypted and sent on,
/// the backend's answers encrypted and sent back (a thread each way,
/// sharing the TLS state).
fn forward(
    client: TcpStream,
    config: Arc<rustls::ServerConfig>,
    backend: SocketAddr,
) -> io::Result<()> {
    let tls = Arc::new(Mutex::new(
        rustls::ServerConnection::new(config).map_err(io::Error::other)?,
    ));
    let upstream = TcpStream::connect(backend)?;
    let answers = {
        let tls = tls.clone();
        let mut to_client = client.try_clone()?;
        let mut from_backend = upstream.try_clone()?;
        std::thread::spawn(move || -> io::Result<()> {
            let mut buffer = [0u8; 16 * 1024];
            loop {
                let read = from_backend.read(&mut buffer).unwrap_or(0);
                let mut connection = tls.lock().unwrap();
                if read == 0 {
                    connection.send_close_notify();
                } else {
                    connection.writer().write_all(&buffer[..read])?;
                }
                while connection.wants_write() {
                    connection.write_tls(&mut to_client)?;
                }
                if read == 0 {
                    let _ = to_client.shutdown(Shutdown::Write);
                    return Ok(());
                }
            }
        })
    };
    let outcome = forward_requests(&client, &upstream, &tls);
    // Ends the answering thread too, whatever stopped this one.
    let _ = upstream.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
    let _ = answers.join();
    outcome
}

fn forward_requests(
    client: &TcpStream,
    upstream: &TcpStream,
    tls: &Mutex<rustls::ServerConnection>,
) -> io::Result<()> {
    let (mut from_client, mut to_client, mut to_backend) = (client, client, upstream);
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = from_client.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        let mut incoming = &buffer[..read];
        while !incoming.is_empty() {
            let (plaintext, closed) = {
                let mut connection = tls.lock().unwrap();
                connection.read_tls(&mut incoming)?;
                let state = connection.process_new_packets();
                // Handshake messages, or the alert for a failed one.
                while connection.wants_write() {
                    connection.write_tls(&mut to_client)?;
                }
                let state = state.map_err(io::Error::other)?;
                let mut plaintext = vec![0; state.plaintext_bytes_to_read()];
                connection.reader().read_exact(&mut plaintext)?;
                (plaintext, state.peer_has_closed())
            };
            to_backend.write_all(&plaintext)?;
            if closed {
                return Ok(());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Connecting

fn start_sim() -> Simulator {
    common::start_sim(12)
}

/// A connection string for the simulator behind TLS at `port` (reached as
/// `localhost`), plus `extra`. No retries: refusals are final anyway, and
/// a test should not wait for them.
fn tls_connection_string(port: u16, extra: &str) -> String {
    format!(
        "Driver={};APIToken={};CompanyDomain=demo;APIBaseURL=https://localhost:{port};RetryCount=0;Timeout=20;{extra}",
        common::driver_path().display(),
        common::TOKEN,
    )
}

/// The SQLSTATE and message of a failed connection.
fn connect_error(env: &Environment, connection_string: &str) -> (String, String) {
    match env.connect_with_connection_string(connection_string, ConnectionOptions::default()) {
        Ok(_) => panic!("connected: {connection_string}"),
        Err(odbc_api::Error::Diagnostics { record, .. }) => (
            String::from_utf8_lossy(&record.state.0).into_owned(),
            record.to_string(),
        ),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

/// Connects and checks the deals are the simulator's.
fn assert_reads_deals(env: &Environment, connection_string: &str, sim: &Simulator) {
    let conn = env
        .connect_with_connection_string(connection_string, ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("connects: {e}"));
    let mut ids: Vec<i64> = common::query_text(&conn, "SELECT Id FROM Deals")
        .into_iter()
        .map(|row| row[0].as_deref().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected = common::listed_deal_ids(sim);
    expected.sort_unstable();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);
}

fn assert_untrusted(state: &str, message: &str) {
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("certificate was not trusted"), "{message}");
    assert!(message.contains("SSLServerCert"), "{message}");
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn a_private_ca_in_a_pem_file_is_trusted() {
    let pki = Pki::new("file");
    let ca = pki.certificate_authority("ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = start_sim();
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();
    assert_reads_deals(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", ca.display())),
        &sim,
    );
}

#[test]
fn a_private_ca_given_inline_is_trusted() {
    let pki = Pki::new("inline");
    let ca = pki.certificate_authority("ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = start_sim();
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();
    let pem = std::fs::read_to_string(&ca).unwrap();
    // As written in a connection string (line breaks and all), braced.
    assert_reads_deals(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={{{}}}", pem.trim())),
        &sim,
    );
    // On one line, as a DSN in odbc.ini has to hold it.
    let one_line = pem.trim().replace('\n', " ");
    assert_reads_deals(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={one_line}")),
        &sim,
    );
}

#[test]
fn without_ssl_server_cert_an_unknown_ca_is_refused_with_08001() {
    let pki = Pki::new("none");
    pki.certificate_authority("ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = start_sim();
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();
    let (state, message) = connect_error(&env, &tls_connection_string(port, ""));
    assert_untrusted(&state, &message);
    assert!(message.contains("localhost:"), "names the host: {message}");
    assert!(!message.contains(common::TOKEN), "{message}");
    // No request reached the API.
    assert_eq!(sim.stats().endpoint("GET /api/v1/users/me").requests, 0);
}

#[test]
fn an_unrelated_ca_does_not_make_the_server_trusted() {
    let pki = Pki::new("unrelated");
    pki.certificate_authority("ca");
    let unrelated = pki.certificate_authority("unrelated-ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = start_sim();
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();
    let (state, message) = connect_error(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", unrelated.display())),
    );
    assert_untrusted(&state, &message);
}

#[test]
fn a_certificate_for_another_name_is_refused_even_with_its_ca_trusted() {
    let pki = Pki::new("name");
    let ca = pki.certificate_authority("ca");
    pki.server_certificate("other", "DNS:other.example", "ca");
    let sim = start_sim();
    let port = pki.serve("other", &sim);
    let env = Environment::new().unwrap();
    let (state, message) = connect_error(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", ca.display())),
    );
    assert_untrusted(&state, &message);
    assert!(message.contains("not valid for the host name"), "{message}");
    assert!(message.contains("other.example"), "{message}");
}

#[test]
fn a_pinned_self_signed_server_certificate_is_trusted() {
    let pki = Pki::new("pinned");
    let pinned = pki.self_signed_server_certificate("server", "DNS:localhost,IP:127.0.0.1");
    let sim = start_sim();
    let port = pki.serve("server", &sim);
    let env = Environment::new().unwrap();
    assert_reads_deals(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", pinned.display())),
        &sim,
    );
    let (state, message) = connect_error(&env, &tls_connection_string(port, ""));
    assert_untrusted(&state, &message);
}

#[test]
fn unusable_ssl_server_cert_values_fail_with_08001_naming_the_property() {
    let pki = Pki::new("unusable");
    pki.certificate_authority("ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = start_sim();
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();

    let missing = pki.path("no-such-ca.pem");
    let (state, message) = connect_error(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", missing.display())),
    );
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("SSLServerCert"), "{message}");
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );

    let garbage = pki.path("garbage.pem");
    std::fs::write(&garbage, "this is not a certificate\n").unwrap();
    let (state, message) = connect_error(
        &env,
        &tls_connection_string(port, &format!("SSLServerCert={}", garbage.display())),
    );
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("SSLServerCert"), "{message}");
    assert!(message.contains("no certificate"), "{message}");
    assert!(
        message.contains(&garbage.display().to_string()),
        "{message}"
    );

    // A key alone (the wrong file of the pair) holds no certificate either.
    let (state, message) = connect_error(
        &env,
        &tls_connection_string(
            port,
            &format!("SSLServerCert={}", pki.path("ca.key").display()),
        ),
    );
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("no certificate"), "{message}");

    let (state, message) = connect_error(
        &env,
        &tls_connection_string(
            port,
            "SSLServerCert={-----BEGIN CERTIFICATE----- bm90IGEgY2VydA== -----END CERTIFICATE-----}",
        ),
    );
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains("SSLServerCert"), "{message}");
    assert!(message.contains("the PEM text"), "{message}");
}

#[test]
fn a_star_accepts_any_certificate_with_a_logged_warning() {
    let pki = Pki::new("star");
    pki.certificate_authority("ca");
    pki.server_certificate("other", "DNS:other.example", "ca");
    let sim = start_sim();
    let port = pki.serve("other", &sim);
    let env = Environment::new().unwrap();
    let log = pki.path("driver.log");
    assert_reads_deals(
        &env,
        &tls_connection_string(
            port,
            &format!("SSLServerCert=*;Logfile={};Verbosity=1", log.display()),
        ),
        &sim,
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("SSLServerCert=* turns off server certificate verification"),
        "{logged}"
    );
}

#[test]
fn the_oauth_server_is_verified_with_ssl_server_cert_too() {
    const CLIENT_ID: &str = "tls-test-app";
    let pki = Pki::new("oauth");
    let ca = pki.certificate_authority("ca");
    pki.server_certificate("localhost", "DNS:localhost,IP:127.0.0.1", "ca");
    let sim = Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals: 12,
        seed: 7,
        oauth: OAuthSettings {
            clients: vec![OAuthClient::new(
                CLIENT_ID,
                "tls-client-secret",
                "http://127.0.0.1:1/callback",
            )],
            ..OAuthSettings::default()
        },
        ..SimConfig::default()
    })
    .expect("simulator starts");
    let port = pki.serve("localhost", &sim);
    let env = Environment::new().unwrap();
    // InitiateOAuth=REFRESH with a refresh token: the connection starts
    // with a token request to OAuthBaseURL, over TLS. (The answer's
    // api_domain is the simulator's plain loopback URL.)
    let connection_string = |refresh_token: &str, extra: &str| {
        format!(
            "Driver={};AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId={CLIENT_ID};\
             OAuthClientSecret=tls-client-secret;CallbackURL=http://127.0.0.1:1/callback;\
             OAuthRefreshToken={refresh_token};OAuthSettingsLocation={};\
             OAuthBaseURL=https://localhost:{port};APIBaseURL={};RetryCount=0;Timeout=20;{extra}",
            common::driver_path().display(),
            pki.path(&format!("settings-{extra}.txt").replace(['=', '/', ';'], "_"))
                .display(),
            sim.base_url(),
        )
    };
    let tokens = sim.issue_oauth_tokens(CLIENT_ID).unwrap();
    let (state, message) = connect_error(&env, &connection_string(&tokens.refresh_token, ""));
    assert_untrusted(&state, &message);
    assert!(message.contains("OAuthBaseURL"), "{message}");

    let with_ca = format!("SSLServerCert={}", ca.display());
    let conn = env
        .connect_with_connection_string(
            &connection_string(&tokens.refresh_token, &with_ca),
            ConnectionOptions::default(),
        )
        .unwrap_or_else(|e| panic!("connects: {e}"));
    assert_eq!(
        common::query_text(&conn, "SELECT COUNT(*) FROM Deals").len(),
        1
    );
    assert_eq!(sim.stats().endpoint("POST /oauth/token").requests, 1);
}
