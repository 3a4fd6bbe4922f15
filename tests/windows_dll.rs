//! The Windows build, checked here on Linux: the cross-compiled
//! `pipedrive_odbc.dll` exports exactly the functions SQLGetFunctions
//! reports plus the setup entry points, needs no DLL outside Windows' own,
//! and answers a query against the simulator when a Windows program loads it
//! under Wine.
//!
//! These tests need the DLL, the Windows test program and Wine, which
//! `tests/windows/run.sh` builds and installs before running them with
//! `--include-ignored`; a plain `cargo test` lists them as ignored.

mod common;

use pipedrive_odbc::ffi::functions::{EXPORTED, SETUP_EXPORTS, WIDE};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn required_path(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{variable} is not set: run tests/windows/run.sh"));
    assert!(path.exists(), "{} does not exist", path.display());
    path
}

fn objdump_private_headers() -> String {
    let dll = required_path("PIPEDRIVE_ODBC_WINDOWS_DLL");
    let output = Command::new("x86_64-w64-mingw32-objdump")
        .arg("-p")
        .arg(&dll)
        .output()
        .expect("x86_64-w64-mingw32-objdump (binutils-mingw-w64) runs");
    assert!(output.status.success(), "objdump -p failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The names of the export table: the lines after "[Ordinal/Name Pointer]
/// Table" look like `\t[   3] SQLBindCol`.
fn exported_names(headers: &str) -> BTreeSet<String> {
    headers
        .lines()
        .skip_while(|line| !line.contains("[Ordinal/Name Pointer] Table"))
        .skip(1)
        .take_while(|line| line.trim_start().starts_with('['))
        .filter_map(|line| line.split(']').nth(1))
        .map(|name| name.trim().to_string())
        .collect()
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn dll_exports_exactly_what_sqlgetfunctions_reports_and_the_setup_functions() {
    let names = exported_names(&objdump_private_headers());
    let mut expected: BTreeSet<String> =
        EXPORTED.iter().map(|(_, name)| name.to_string()).collect();
    expected.extend(WIDE.iter().map(|name| format!("{name}W")));
    expected.extend(SETUP_EXPORTS.iter().map(|name| name.to_string()));
    assert_eq!(
        names,
        expected,
        "exports differ from SQLGetFunctions' list: extra {:?}, missing {:?}",
        names.difference(&expected).collect::<Vec<_>>(),
        expected.difference(&names).collect::<Vec<_>>()
    );
}

/// DLLs every Windows installation has (system32 or API sets); anything
/// else (libgcc_s_seh-1.dll, libwinpthread-1.dll, vcruntime) would have to
/// ship with the driver.
fn is_windows_system_dll(name: &str) -> bool {
    const SYSTEM: &[&str] = &[
        "advapi32.dll",
        "bcrypt.dll",
        "bcryptprimitives.dll",
        "crypt32.dll",
        "gdi32.dll",
        "iphlpapi.dll",
        "kernel32.dll",
        "msvcrt.dll",
        "ncrypt.dll",
        "ntdll.dll",
        "odbc32.dll",
        "odbccp32.dll",
        "ole32.dll",
        "oleaut32.dll",
        "secur32.dll",
        "shell32.dll",
        "user32.dll",
        "userenv.dll",
        "ws2_32.dll",
    ];
    let lower = name.to_ascii_lowercase();
    SYSTEM.contains(&lower.as_str()) || lower.starts_with("api-ms-win-")
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn dll_depends_only_on_windows_system_dlls() {
    let headers = objdump_private_headers();
    let imports: Vec<&str> = headers
        .lines()
        .filter_map(|line| line.trim().strip_prefix("DLL Name:"))
        .map(str::trim)
        .collect();
    assert!(
        imports
            .iter()
            .any(|d| d.eq_ignore_ascii_case("kernel32.dll")),
        "no import table read: {imports:?}"
    );
    let foreign: Vec<&&str> = imports
        .iter()
        .filter(|d| !is_windows_system_dll(d))
        .collect();
    assert!(
        foreign.is_empty(),
        "the DLL needs non-system DLLs: {foreign:?}"
    );
    // A driver must not import the driver manager it is loaded by.
    assert!(
        !imports.iter().any(|d| d.eq_ignore_ascii_case("odbc32.dll")),
        "the driver imports odbc32.dll: {imports:?}"
    );
}

/// Runs the Windows test program under Wine; returns (success, stdout, stderr).
fn run_under_wine(arguments: &[&str]) -> (bool, String, String) {
    let program = required_path("PIPEDRIVE_ODBC_WINDOWS_SMOKE");
    let dll = required_path("PIPEDRIVE_ODBC_WINDOWS_DLL");
    let wine = std::env::var("WINE").unwrap_or_else(|_| "wine".to_string());
    let output = Command::new(wine)
        .arg(&program)
        .arg(&dll)
        .args(arguments)
        .env("WINEDEBUG", "-all")
        .output()
        .expect("wine runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn a_windows_program_queries_the_simulator_through_the_dll() {
    let sim = common::start_sim(40);
    let connection = format!("APIToken={};APIBaseURL={}", common::TOKEN, sim.base_url());
    let (ok, stdout, stderr) = run_under_wine(&[
        &connection,
        "SELECT Id, Title FROM Deals WHERE Status <> 'deleted' ORDER BY Id LIMIT 5",
    ]);
    assert!(ok, "driver-smoke failed:\n{stdout}\n{stderr}");

    let mut deals: Vec<(i64, String)> = sim
        .dataset()
        .deals()
        .filter(|d| d.get("status").and_then(|s| s.as_str()) != Some("deleted"))
        .filter_map(|d| {
            Some((
                d.get("id")?.as_i64()?,
                d.get("title")?.as_str()?.to_string(),
            ))
        })
        .collect();
    deals.sort();
    let expected: Vec<String> = deals
        .iter()
        .take(5)
        .map(|(id, title)| format!("{id}\t{title}"))
        .collect();
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| *l == "Id\tTitle")
        .expect("column names printed");
    let rows: Vec<String> = lines[header + 1..]
        .iter()
        .take_while(|l| !l.starts_with("rows:"))
        .map(|l| l.to_string())
        .collect();
    assert_eq!(rows, expected, "full output:\n{stdout}");
    assert!(stdout.contains("rows: 5"));
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn a_dsn_created_with_configdsn_is_read_back_from_the_registry() {
    let sim = common::start_sim(12);
    let attributes = format!(
        "DSN=PipedriveWineTest;APIToken={};APIBaseURL={};Timeout=30",
        common::TOKEN,
        sim.base_url()
    );
    let (ok, stdout, stderr) = run_under_wine(&[
        "--config-dsn",
        &attributes,
        "DSN=PipedriveWineTest",
        "SELECT COUNT(*) AS N FROM Deals",
    ]);
    assert!(ok, "driver-smoke failed:\n{stdout}\n{stderr}");
    let listed = common::listed_deal_ids(&sim).len();
    assert!(
        stdout.contains(&format!("N\n{listed}\nrows: 1")),
        "expected {listed} deals:\n{stdout}"
    );
    // Settings came from the registry: the completed connection string
    // names the DSN and leaves out the token it did not receive.
    assert!(
        stdout.contains("connected: DSN=PipedriveWineTest;"),
        "{stdout}"
    );
    assert!(!stdout.contains(common::TOKEN), "token echoed:\n{stdout}");
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn configdsn_refuses_an_unknown_property() {
    let (ok, stdout, stderr) = run_under_wine(&[
        "--config-dsn",
        "DSN=PipedriveWineTypo;APITokn=x",
        "DSN=PipedriveWineTypo",
        "SELECT 1",
    ]);
    assert!(!ok, "ConfigDSNW accepted an unknown key:\n{stdout}");
    assert!(
        stderr.contains("ConfigDSNW(ODBC_ADD_DSN) returned FALSE"),
        "{stderr}"
    );
}

#[test]
#[ignore = "needs the cross-built DLL and Wine: run tests/windows/run.sh"]
fn a_wrong_token_gives_28000_through_the_wide_diagnostics() {
    let sim = common::start_sim(3);
    let connection = format!("APIToken=wrong-token;APIBaseURL={}", sim.base_url());
    let (ok, stdout, stderr) = run_under_wine(&[&connection, "--expect-connect-error", "28000"]);
    assert!(ok, "expected SQLSTATE 28000:\n{stdout}\n{stderr}");
    assert!(
        !stdout.contains("wrong-token"),
        "token in the diagnostic:\n{stdout}"
    );
}
