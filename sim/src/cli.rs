//! The `pipedrive-sim` command line.

use crate::config::SimConfig;
use crate::faults::{FaultKind, FaultRule, Share};
use crate::oauth::{OAuthClient, OAuthConsent};
use crate::server::{self, Simulator};
use crate::time;
use std::path::{Path, PathBuf};

pub const HELP: &str = "\
pipedrive-sim: a local simulator of the Pipedrive REST API

USAGE:
    pipedrive-sim [OPTIONS]

OPTIONS:
    --port N              Port on 127.0.0.1 to listen on; 0 picks a free port
                          [default: 0]. The simulator only ever binds loopback.
    --port-file F         Once listening, write the port number to F (written
                          to a temporary file and renamed, so readers never see
                          a partial file). Useful with --port 0.
    --token T             The API token clients must send [default: demo-token]
    --seed S              Seed of the generated data [default: 42]. The same
                          seed and counts always give byte-identical responses.
    --deals N             Number of deals [default: 250]
    --persons N           Number of persons [default: 120]
    --organizations N     Number of organizations [default: 40]
    --users N             Number of company users, at least 1 [default: 8]
    --pipelines N         Number of pipelines [default: 3]
    --stages N            Stages per pipeline [default: 5]
    --activities N        Number of activities [default: 2 per deal, at least 30]
    --notes N             Number of notes [default: 1 per deal, at least 20]
    --products N          Products in the catalogue
                          [default: 1 per 10 deals, 16 to 5000]
    --leads N             Number of leads [default: 1 per 2 deals, at least 12]
    --projects N          Number of projects, each with three tasks
                          [default: 1 per 20 deals, 6 to 100000]
    -h, --help            Print this help
    -V, --version         Print the version

    Records are generated on the fly from the seed, so even --deals 1000000
    starts instantly and uses little memory.

DATASET FILES (JSON; the format is described in the README):
    --data-file F         Start from the dataset saved in F instead of
                          generating one (--seed and the counts are then
                          ignored). A file that is not a valid dataset stops
                          the simulator with a message naming the problem.
    --save-to F           Save the dataset to F after every successful write
                          and on POST /__sim/dataset/save (written to a
                          temporary file and renamed). Only the seed, the
                          counts and what writes changed are stored; use the
                          same F as --data-file to continue where a run ended.

OAUTH 2.0 (served at the root: /oauth/authorize, /oauth/token):
    --oauth-client-id ID        Register an OAuth app with this client id;
                                needs the next two flags as well
    --oauth-client-secret S     Its client secret (HTTP Basic on /oauth/token)
    --oauth-redirect-uri URI    Its registered callback; /oauth/authorize
                                redirects only there
    --oauth-scope SCOPES        Scopes granted, comma separated
                                [default: base,deals:read,contacts:read,users:read,admin]
    --oauth-consent C           approve | deny: what the consent page answers
                                [default: approve]
    --access-token-lifetime SECS   Access token lifetime [default: 3600]
    --refresh-token-lifetime SECS  Refresh tokens expire unused after this
                                   [default: 5184000, 60 days]
    --code-lifetime SECS        Authorization code lifetime [default: 300]

RATE LIMITS (off unless set; Pipedrive's token-based model):
    --rate-limit-burst N        Requests per rolling 2-second window per API
                                token (x-ratelimit-limit/-remaining/-reset)
    --oauth-rate-limit-burst N  The same per OAuth access token
                                [default: 4 x --rate-limit-burst]
    --daily-budget N            Tokens the company may spend per UTC day; each
                                request costs its operation's x-token-cost
                                (x-daily-ratelimit-token-limit/-remaining).
                                Beyond either limit: 429 with Retry-After.

FAULTS AND LATENCY (off unless set; reproducible from --fault-seed):
    --latency MS|MIN-MAX        Delay every answer by MS, or by a seeded
                                random time between MIN and MAX milliseconds
    --fault-5xx SHARE           Answer this fraction (0 to 1) of requests with
                                500, 502 or 503 instead
    --fault-drop SHARE          Close the connection without answering
    --fault-truncate SHARE      Send half the body promised by Content-Length,
                                then close the connection
    --fault-malformed-json SHARE  Send a body cut in half (invalid JSON)
    --fault-slow-body SHARE     Trickle the body at --slow-body-rate
    --slow-body-rate BYTES      Bytes per second of slow bodies [default: 4096]
    --fault-path PREFIX         Only fault requests whose path starts with
                                PREFIX (e.g. /api/v2/deals)
    --fault-nth N               Only fault the Nth such request (counted from 1)
    --fault-seed S              Seed of the fault draws [default: --seed]

CLOCK AND REQUEST LOG:
    --clock-start T             Freeze the simulator's clock (OAuth lifetimes,
                                rate-limit windows, the daily budget) at T, an
                                RFC 3339 time or Unix milliseconds; it then
                                moves only by POST /__sim/clock?advance_ms=N
    --request-log-capacity N    Requests kept by /__sim/requests [default: 10000]

POINTING A CLIENT AT IT:
    Base URL:  http://127.0.0.1:PORT   (use it where you would use
               https://COMPANY.pipedrive.com or https://api.pipedrive.com)
      v2:      http://127.0.0.1:PORT/api/v2/deals, /persons, /organizations,
               /pipelines, /stages (and /{id}), /dealFields, /personFields,
               /organizationFields
      v1:      http://127.0.0.1:PORT/api/v1/users, /users/me, /users/{id},
               /dealFields, /personFields, /organizationFields
               (also under /v1/...)
    Auth:      send the header  x-api-token: TOKEN  on every request
               (v1 also accepts ?api_token=TOKEN), or, with an OAuth app
               registered,  Authorization: Bearer ACCESS_TOKEN.
    OAuth:     OAuth base URL = the same http://127.0.0.1:PORT

    Example:
      pipedrive-sim --port 8080 --token secret &
      curl -H 'x-api-token: secret' 'http://127.0.0.1:8080/api/v2/deals?limit=2'

INTROSPECTION (no token needed):
    GET  /__sim/stats    request, row, error and token counters per endpoint
    POST /__sim/reset    reset the counters and the request log
    GET  /__sim/dataset[?mode=full]   the dataset as a dataset file
                         (default: only what writes changed; full: every record)
    POST /__sim/dataset/save          save to the --save-to file now
    GET  /__sim/requests[?since=SEQ]  the request log (credentials masked)
    GET|PUT|DELETE /__sim/faults      the fault rules, as JSON
    GET|POST /__sim/clock[?advance_ms=N]  read or move the clock

The simulator runs until it is killed (Ctrl-C or SIGTERM).
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
// Built once per process: the size of `Run` costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
pub enum CliAction {
    Run {
        config: SimConfig,
        port_file: Option<PathBuf>,
    },
    Help,
    Version,
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: '{value}' is not a valid number"))
}

fn share(flag: &str, value: &str) -> Result<Share, String> {
    value
        .parse::<f64>()
        .ok()
        .and_then(Share::from_fraction)
        .ok_or_else(|| format!("{flag}: '{value}' is not a fraction from 0 to 1"))
}

/// `MS` or `MIN-MAX`.
fn latency(flag: &str, value: &str) -> Result<FaultKind, String> {
    let (min, max) = value.split_once('-').unwrap_or((value, value));
    Ok(FaultKind::Latency {
        min_ms: number(flag, min.trim())?,
        max_ms: number(flag, max.trim())?,
    })
}

/// Unix milliseconds or an RFC 3339 time.
fn clock_start(flag: &str, value: &str) -> Result<i64, String> {
    value
        .parse::<i64>()
        .ok()
        .or_else(|| time::parse_rfc3339(value).map(|secs| secs * 1000))
        .ok_or_else(|| {
            format!("{flag}: '{value}' is neither Unix milliseconds nor an RFC 3339 time")
        })
}

/// The OAuth, fault and seed flags, which only make sense together.
#[derive(Default)]
struct Pending {
    client_id: Option<String>,
    client_secret: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    fault_kinds: Vec<(FaultKind, Share)>,
    slow_body_shares: Vec<Share>,
    slow_body_rate: Option<u64>,
    fault_path: Option<String>,
    fault_nth: Option<u64>,
    fault_seed: Option<u64>,
}

impl Pending {
    fn apply(self, config: &mut SimConfig) -> Result<(), String> {
        match (self.client_id, self.client_secret, self.redirect_uri) {
            (Some(id), Some(secret), Some(uri)) => {
                let mut client = OAuthClient::new(&id, &secret, &uri);
                if let Some(scope) = self.scope {
                    client.scope = scope;
                }
                config.oauth.clients.push(client);
            }
            (None, None, None) if self.scope.is_none() => {}
            _ => {
                return Err(
                    "--oauth-client-id, --oauth-client-secret and --oauth-redirect-uri \
                            go together (see --help)"
                        .to_string(),
                )
            }
        }
        let rate = self.slow_body_rate.unwrap_or(4096);
        let slow = self.slow_body_shares.into_iter().map(|s| {
            (
                FaultKind::SlowBody {
                    bytes_per_sec: rate,
                },
                s,
            )
        });
        for (kind, share) in self.fault_kinds.into_iter().chain(slow) {
            config.faults.rules.push(FaultRule {
                kind,
                path_prefix: self.fault_path.clone(),
                nth: self.fault_nth,
                share,
            });
        }
        config.faults.seed = self.fault_seed.unwrap_or(config.seed);
        Ok(())
    }
}

/// Parses the arguments after the program name. Accepts `--flag value` and
/// `--flag=value`.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<CliAction, String> {
    let mut config = SimConfig::default();
    let mut port_file = None;
    let mut pending = Pending::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(CliAction::Help),
            "-V" | "--version" => return Ok(CliAction::Version),
            _ => {}
        }
        let value = match inline_value {
            Some(v) => v,
            None => args
                .next()
                .ok_or_else(|| format!("{flag}: missing value (see --help)"))?,
        };
        match flag.as_str() {
            "--port" => config.port = number(&flag, &value)?,
            "--port-file" => port_file = Some(PathBuf::from(value)),
            "--token" => config.token = value,
            "--seed" => config.seed = number(&flag, &value)?,
            "--deals" => config.deals = number(&flag, &value)?,
            "--persons" => config.persons = number(&flag, &value)?,
            "--organizations" => config.organizations = number(&flag, &value)?,
            "--users" => config.users = number(&flag, &value)?,
            "--pipelines" => config.pipelines = number(&flag, &value)?,
            "--stages" => config.stages_per_pipeline = number(&flag, &value)?,
            "--activities" => config.activities = Some(number(&flag, &value)?),
            "--notes" => config.notes = Some(number(&flag, &value)?),
            "--products" => config.products = Some(number(&flag, &value)?),
            "--leads" => config.leads = Some(number(&flag, &value)?),
            "--projects" => config.projects = Some(number(&flag, &value)?),
            "--data-file" => config.data_file = Some(PathBuf::from(value)),
            "--save-to" => config.save_to = Some(PathBuf::from(value)),
            "--oauth-client-id" => pending.client_id = Some(value),
            "--oauth-client-secret" => pending.client_secret = Some(value),
            "--oauth-redirect-uri" => pending.redirect_uri = Some(value),
            "--oauth-scope" => pending.scope = Some(value),
            "--oauth-consent" => {
                config.oauth.consent = match value.as_str() {
                    "approve" => OAuthConsent::Approve,
                    "deny" => OAuthConsent::Deny,
                    _ => return Err(format!("{flag}: '{value}' is not approve or deny")),
                }
            }
            "--access-token-lifetime" => {
                config.oauth.access_token_lifetime_secs = number(&flag, &value)?
            }
            "--refresh-token-lifetime" => {
                config.oauth.refresh_token_lifetime_secs = number(&flag, &value)?
            }
            "--code-lifetime" => config.oauth.code_lifetime_secs = number(&flag, &value)?,
            "--rate-limit-burst" => config.rate_limits.burst = Some(number(&flag, &value)?),
            "--oauth-rate-limit-burst" => {
                config.rate_limits.oauth_burst = Some(number(&flag, &value)?)
            }
            "--daily-budget" => config.rate_limits.daily_budget = Some(number(&flag, &value)?),
            "--latency" => pending
                .fault_kinds
                .push((latency(&flag, &value)?, Share::ALWAYS)),
            "--fault-5xx" => pending.fault_kinds.push((
                FaultKind::Error {
                    statuses: vec![500, 502, 503],
                },
                share(&flag, &value)?,
            )),
            "--fault-drop" => pending
                .fault_kinds
                .push((FaultKind::DropConnection, share(&flag, &value)?)),
            "--fault-truncate" => pending
                .fault_kinds
                .push((FaultKind::TruncatedBody, share(&flag, &value)?)),
            "--fault-malformed-json" => pending
                .fault_kinds
                .push((FaultKind::MalformedJson, share(&flag, &value)?)),
            "--fault-slow-body" => pending.slow_body_shares.push(share(&flag, &value)?),
            "--slow-body-rate" => pending.slow_body_rate = Some(number(&flag, &value)?),
            "--fault-path" => pending.fault_path = Some(value),
            "--fault-nth" => pending.fault_nth = Some(number(&flag, &value)?),
            "--fault-seed" => pending.fault_seed = Some(number(&flag, &value)?),
            "--clock-start" => config.clock_start_ms = Some(clock_start(&flag, &value)?),
            "--request-log-capacity" => config.request_log_capacity = number(&flag, &value)?,
            _ => return Err(format!("unknown option '{flag}' (see --help)")),
        }
    }
    pending.apply(&mut config)?;
    server::validate(&config)?;
    Ok(CliAction::Run { config, port_file })
}

/// Writes `port` to `path` via a temporary file in the same directory and a
/// rename, so a reader polling for the file never sees it half-written.
pub fn write_port_file(path: &Path, port: u16) -> std::io::Result<()> {
    let mut tmp_name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, format!("{port}\n"))?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Runs the command line; returns the process exit code.
pub fn main_with_args<I: IntoIterator<Item = String>>(args: I) -> i32 {
    let (config, port_file) = match parse_args(args) {
        Ok(CliAction::Run { config, port_file }) => (config, port_file),
        Ok(CliAction::Help) => {
            print!("{HELP}");
            return 0;
        }
        Ok(CliAction::Version) => {
            println!("pipedrive-sim {}", env!("CARGO_PKG_VERSION"));
            return 0;
        }
        Err(message) => {
            eprintln!("pipedrive-sim: {message}");
            return 2;
        }
    };
    let mut summary = match &config.data_file {
        Some(path) => format!("dataset file {}", path.display()),
        None => format!(
            "seed {}, {} deals, {} persons, {} organizations, {} users",
            config.seed, config.deals, config.persons, config.organizations, config.users
        ),
    };
    if let Some(path) = &config.save_to {
        summary.push_str(&format!("; saving writes to {}", path.display()));
    }
    for client in &config.oauth.clients {
        summary.push_str(&format!("; OAuth client {}", client.client_id));
    }
    if let Some(burst) = config.rate_limits.burst {
        summary.push_str(&format!("; burst {burst} requests/2 s"));
    }
    if let Some(budget) = config.rate_limits.daily_budget {
        summary.push_str(&format!("; daily budget {budget} tokens"));
    }
    if !config.faults.rules.is_empty() {
        summary.push_str(&format!("; {} fault rule(s)", config.faults.rules.len()));
    }
    let sim = match Simulator::start(config) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("pipedrive-sim: cannot start: {e}");
            return 1;
        }
    };
    if let Some(path) = &port_file {
        if let Err(e) = write_port_file(path, sim.port()) {
            eprintln!(
                "pipedrive-sim: cannot write port file {}: {e}",
                path.display()
            );
            return 1;
        }
    }
    eprintln!(
        "pipedrive-sim listening on {} (x-api-token: {}; {summary})",
        sim.base_url(),
        sim.token()
    );
    // Serve until the process is killed; the server's threads do the work.
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_every_flag() {
        let action = parse_args(args(&[
            "--port",
            "0",
            "--port-file",
            "/tmp/p",
            "--token=T",
            "--seed",
            "7",
            "--deals",
            "1000000",
            "--persons",
            "5",
            "--organizations",
            "6",
            "--users",
            "9",
            "--pipelines",
            "2",
            "--stages",
            "4",
            "--activities",
            "11",
            "--notes",
            "12",
            "--products",
            "13",
            "--leads",
            "14",
            "--projects",
            "15",
            "--data-file",
            "/tmp/in.json",
            "--save-to=/tmp/out.json",
        ]))
        .unwrap();
        let CliAction::Run { config, port_file } = action else {
            panic!("expected run")
        };
        assert_eq!(port_file, Some(PathBuf::from("/tmp/p")));
        assert_eq!(
            (
                config.token.as_str(),
                config.seed,
                config.deals,
                config.persons,
                config.organizations,
                config.users
            ),
            ("T", 7, 1_000_000, 5, 6, 9)
        );
        assert_eq!((config.pipelines, config.stages_per_pipeline), (2, 4));
        assert_eq!(
            (
                config.activities,
                config.notes,
                config.products,
                config.leads,
                config.projects
            ),
            (Some(11), Some(12), Some(13), Some(14), Some(15))
        );
        assert_eq!(config.data_file, Some(PathBuf::from("/tmp/in.json")));
        assert_eq!(config.save_to, Some(PathBuf::from("/tmp/out.json")));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse_args(args(&["--deals", "many"])).is_err());
        assert!(parse_args(args(&["--deals"])).is_err());
        assert!(parse_args(args(&["--bogus", "1"])).is_err());
        assert!(parse_args(args(&["--users", "0"])).is_err());
        assert!(parse_args(args(&["--leads", "-1"])).is_err());
        assert!(parse_args(args(&["--activities", "99999999999"])).is_err());
        assert_eq!(parse_args(args(&["--help"])), Ok(CliAction::Help));
    }

    #[test]
    fn help_mentions_every_flag() {
        for flag in [
            "--port ",
            "--port-file",
            "--token",
            "--seed",
            "--deals",
            "--persons",
            "--organizations",
            "--users",
            "--pipelines",
            "--stages",
            "--activities",
            "--notes",
            "--products",
            "--leads",
            "--projects",
            "--data-file",
            "--save-to",
            "/__sim/dataset",
            "x-api-token",
            "--oauth-client-id",
            "--oauth-client-secret",
            "--oauth-redirect-uri",
            "--oauth-scope",
            "--oauth-consent",
            "--access-token-lifetime",
            "--refresh-token-lifetime",
            "--code-lifetime",
            "--rate-limit-burst",
            "--oauth-rate-limit-burst",
            "--daily-budget",
            "--latency",
            "--fault-5xx",
            "--fault-drop",
            "--fault-truncate",
            "--fault-malformed-json",
            "--fault-slow-body",
            "--slow-body-rate",
            "--fault-path",
            "--fault-nth",
            "--fault-seed",
            "--clock-start",
            "--request-log-capacity",
            "/__sim/requests",
            "/__sim/faults",
            "/__sim/clock",
        ] {
            assert!(HELP.contains(flag), "{flag}");
        }
    }

    #[test]
    fn parses_oauth_rate_limit_fault_and_clock_flags() {
        let action = parse_args(args(&[
            "--seed",
            "9",
            "--oauth-client-id",
            "app",
            "--oauth-client-secret",
            "s3cret",
            "--oauth-redirect-uri",
            "http://127.0.0.1:1/cb",
            "--oauth-consent",
            "deny",
            "--access-token-lifetime",
            "60",
            "--code-lifetime=30",
            "--rate-limit-burst",
            "20",
            "--daily-budget",
            "30000",
            "--latency",
            "10-50",
            "--fault-5xx",
            "0.1",
            "--fault-drop",
            "1",
            "--fault-slow-body",
            "0.5",
            "--slow-body-rate",
            "100",
            "--fault-path",
            "/api/v2/deals",
            "--fault-nth",
            "3",
            "--clock-start",
            "2026-01-01T00:00:00Z",
        ]))
        .unwrap();
        let CliAction::Run { config, .. } = action else {
            panic!("expected run")
        };
        assert_eq!(
            config.oauth.clients,
            [OAuthClient::new("app", "s3cret", "http://127.0.0.1:1/cb")]
        );
        assert_eq!(config.oauth.consent, OAuthConsent::Deny);
        assert_eq!(
            (
                config.oauth.access_token_lifetime_secs,
                config.oauth.code_lifetime_secs
            ),
            (60, 30)
        );
        assert_eq!(
            (config.rate_limits.burst, config.rate_limits.daily_budget),
            (Some(20), Some(30_000))
        );
        assert_eq!(config.faults.seed, 9, "the fault seed defaults to --seed");
        let kinds: Vec<&FaultKind> = config.faults.rules.iter().map(|r| &r.kind).collect();
        assert_eq!(
            kinds,
            [
                &FaultKind::Latency {
                    min_ms: 10,
                    max_ms: 50
                },
                &FaultKind::Error {
                    statuses: vec![500, 502, 503]
                },
                &FaultKind::DropConnection,
                &FaultKind::SlowBody { bytes_per_sec: 100 },
            ]
        );
        assert!(config
            .faults
            .rules
            .iter()
            .all(|r| r.path_prefix.as_deref() == Some("/api/v2/deals") && r.nth == Some(3)));
        assert_eq!(
            config.faults.rules[1].share,
            Share::from_fraction(0.1).unwrap()
        );
        assert_eq!(config.clock_start_ms, Some(1_767_225_600_000));
    }

    #[test]
    fn rejects_incomplete_or_bad_feature_flags() {
        for bad in [
            &["--oauth-client-id", "app"][..],
            &[
                "--oauth-client-id",
                "a",
                "--oauth-client-secret",
                "s",
                "--oauth-redirect-uri",
                "/cb",
            ],
            &["--oauth-consent", "maybe"],
            &["--fault-5xx", "1.5"],
            &["--latency", "50-10"],
            &["--rate-limit-burst", "0"],
            &["--clock-start", "yesterday"],
        ] {
            assert!(parse_args(args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn port_file_is_written_whole() {
        let dir = std::env::temp_dir().join(format!("pipedrive-sim-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("port");
        write_port_file(&path, 4321).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "4321\n");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
