//! pipedrive-odbc-auth: authorizes the driver's OAuth app on a machine
//! without a browser (headless option 1 without a connection string, or
//! option 2 to produce a settings file to copy).
//!
//! It prints the authorization URL, reads the code (or the whole redirect
//! URL) pasted from a browser on any machine, exchanges it, and writes the
//! encrypted settings file the driver reads with InitiateOAuth=REFRESH. It
//! never prints a token.

use pipedrive_odbc::auth::{self, SettingsFile};
use pipedrive_odbc::config::{installed_dsns, Config, NoDsns, Secret};
use pipedrive_odbc::session::network_settings;
use std::io::{BufRead, Write};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: pipedrive-odbc-auth [--dsn NAME] [--client-id ID] [--client-secret SECRET]
                           [--callback-url URL] [--oauth-base-url URL]
                           [--settings FILE] [--scope SCOPES] [--code CODE]

Authorizes the Pipedrive ODBC driver's OAuth app without a browser on this
machine and writes the OAuth settings file (encrypted) for InitiateOAuth=REFRESH.

  --dsn NAME            read OAuthClientId, OAuthClientSecret, CallbackURL,
                        OAuthBaseURL and OAuthSettingsLocation from this DSN
  --client-id ID        OAuthClientId
  --client-secret S     OAuthClientSecret (or set PIPEDRIVE_OAUTH_CLIENT_SECRET,
                        which keeps it out of the process list)
  --callback-url URL    CallbackURL registered for the app
                        (default http://localhost:33333)
  --oauth-base-url URL  OAuthBaseURL (default https://oauth.pipedrive.com)
  --settings FILE       OAuthSettingsLocation (default: the driver's default,
                        OAuthSettings.txt in ~/.config/pipedrive-odbc/)
  --scope SCOPES        scopes to request (default: the app's)
  --code CODE           the code or redirect URL, instead of reading stdin

Steps: open the printed URL in a browser on any machine, approve the app,
then paste the address the browser was redirected to (or just its code).
";

struct Options {
    dsn: Option<String>,
    pairs: Vec<(String, String)>,
    scope: Option<String>,
    code: Option<String>,
}

fn parse_arguments() -> Result<Options, String> {
    let mut options = Options {
        dsn: None,
        pairs: Vec::new(),
        scope: None,
        code: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let property = match flag.as_str() {
            "--dsn" => {
                options.dsn = Some(value);
                continue;
            }
            "--scope" => {
                options.scope = Some(value);
                continue;
            }
            "--code" => {
                options.code = Some(value);
                continue;
            }
            "--client-id" => "OAuthClientId",
            "--client-secret" => "OAuthClientSecret",
            "--callback-url" => "CallbackURL",
            "--oauth-base-url" => "OAuthBaseURL",
            "--settings" => "OAuthSettingsLocation",
            other => return Err(format!("unknown option {other}")),
        };
        options.pairs.push((property.to_string(), value));
    }
    Ok(options)
}

/// The driver's own configuration rules (validation, defaults, DSN).
fn resolve(options: &Options) -> Result<Config, String> {
    let mut pairs = vec![match &options.dsn {
        Some(name) => ("DSN".to_string(), name.clone()),
        None => ("DRIVER".to_string(), "pipedrive-odbc-auth".to_string()),
    }];
    pairs.extend(options.pairs.iter().cloned());
    if let Ok(secret) = std::env::var("PIPEDRIVE_OAUTH_CLIENT_SECRET") {
        pairs.push(("OAuthClientSecret".into(), secret));
    }
    pairs.push(("AuthScheme".into(), "OAuth".into()));
    pairs.push(("InitiateOAuth".into(), "REFRESH".into()));
    // The API host is not contacted here; resolution only requires one.
    pairs.push(("CompanyDomain".into(), "api".into()));
    let resolved = match options.dsn {
        Some(_) => Config::resolve(&pairs, &installed_dsns()),
        None => Config::resolve(&pairs, &NoDsns),
    };
    resolved
        .map(|(config, _)| config)
        .map_err(|e| format!("{} (SQLSTATE {})", e.message, e.state.odbc3()))
}

fn run(options: Options) -> Result<(), String> {
    let config = resolve(&options)?;
    let settings_path = config
        .oauth_settings_location
        .clone()
        .ok_or("no OAuthSettingsLocation and no home directory: pass --settings")?;
    let network = network_settings(&config).map_err(|e| e.message)?;
    if network.server_trust.accepts_any_certificate() {
        eprintln!("pipedrive-odbc-auth: warning: SSLServerCert=* turns off server certificate verification (for testing only)\n");
    }
    let client = auth::oauth_client(&config, &network).map_err(|e| e.message)?;
    let state = auth::random_state();
    let url = client.authorization_url(&config.callback_url, &state, options.scope.as_deref());
    let pasted = match options.code {
        Some(code) => code,
        None => {
            println!(
                "1. Open this URL in a browser (on any machine) and approve the app:\n\n   {url}\n"
            );
            println!(
                "2. The browser is sent to {} (the page may fail to load: that is fine).",
                config.callback_url
            );
            print!("   Paste the full address it was sent to, or just its code: ");
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("could not read the code: {e}"))?;
            line
        }
    };
    let pasted = pasted.trim();
    if pasted.contains('?') {
        let query = auth::query_of(pasted);
        if let Some(error) = auth::query_value(query, "error") {
            return Err(format!("authorization was not granted ({error})"));
        }
        if auth::query_value(query, "state").is_some_and(|s| s != state) {
            return Err("the pasted address answers another authorization request (its state differs): start again".into());
        }
    }
    let code = auth::code_from_pasted(pasted).ok_or("no authorization code in what was pasted")?;
    let tokens = client
        .exchange_code(&Secret::new(code), &config.callback_url)
        .map_err(|e| e.message)?;
    let file = SettingsFile::new(
        settings_path.clone(),
        &client.app().client_id,
        client.app().client_secret.expose(),
    );
    let _lock = file.lock().map_err(|e| e.message)?;
    file.write(&tokens).map_err(|e| e.message)?;
    println!(
        "\nAuthorized. The tokens are saved (encrypted) in {}.\n\
         Connect with AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId=...;OAuthClientSecret=...;OAuthSettingsLocation={}\n\
         To use them on another machine, copy the file there: it opens with the same OAuthClientId and OAuthClientSecret.",
        settings_path.display(),
        settings_path.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_arguments() {
        Ok(options) => options,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("pipedrive-odbc-auth: {problem}\n");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("pipedrive-odbc-auth: {problem}");
            ExitCode::FAILURE
        }
    }
}
