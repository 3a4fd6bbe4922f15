//! The `pipedrive-sim` command line.

use crate::config::SimConfig;
use crate::server::Simulator;
use std::path::{Path, PathBuf};

pub const HELP: &str = "\
pipedrive-sim: a local simulator of the Pipedrive REST API (read endpoints)

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
    --workers N           Request-handling threads [default: 4]
    -h, --help            Print this help
    -V, --version         Print the version

    Records are generated on the fly from the seed, so even --deals 1000000
    starts instantly and uses little memory.

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
               (v1 also accepts ?api_token=TOKEN).

    Example:
      pipedrive-sim --port 8080 --token secret &
      curl -H 'x-api-token: secret' 'http://127.0.0.1:8080/api/v2/deals?limit=2'

INTROSPECTION (no token needed):
    GET  /__sim/stats    request and row counters per endpoint, as JSON
    POST /__sim/reset    reset the counters

The simulator runs until it is killed (Ctrl-C or SIGTERM).
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
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

/// Parses the arguments after the program name. Accepts `--flag value` and
/// `--flag=value`.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<CliAction, String> {
    let mut config = SimConfig::default();
    let mut port_file = None;
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
            "--workers" => config.workers = number(&flag, &value)?,
            _ => return Err(format!("unknown option '{flag}' (see --help)")),
        }
    }
    config.validate()?;
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
    let summary = format!(
        "seed {}, {} deals, {} persons, {} organizations, {} users",
        config.seed, config.deals, config.persons, config.organizations, config.users
    );
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
    // Serve until the process is killed; the workers do all the work.
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
            "--workers",
            "2",
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
        assert_eq!(
            (config.pipelines, config.stages_per_pipeline, config.workers),
            (2, 4, 2)
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse_args(args(&["--deals", "many"])).is_err());
        assert!(parse_args(args(&["--deals"])).is_err());
        assert!(parse_args(args(&["--bogus", "1"])).is_err());
        assert!(parse_args(args(&["--users", "0"])).is_err());
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
            "--workers",
            "x-api-token",
        ] {
            assert!(HELP.contains(flag), "{flag}");
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
