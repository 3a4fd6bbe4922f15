//! `pipedrive-sim` binary; see `pipedrive-sim --help`.

fn main() {
    let args = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    std::process::exit(pipedrive_sim::cli::main_with_args(args));
}
