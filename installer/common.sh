# shellcheck shell=bash
# Helpers shared by installer/install.sh, installer/uninstall.sh,
# tests/run-all.sh and tests/isql/run.sh. Sourced, never executed.

# Names the installer registers; tests use their own temporary names.
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly PIPEDRIVE_DRIVER_NAME="Pipedrive ODBC Driver"
# shellcheck disable=SC2034
readonly PIPEDRIVE_DEMO_DSN="PipedriveDemo"
# The simulator's default token: not a secret, it only opens the local demo.
# shellcheck disable=SC2034
readonly PIPEDRIVE_DEMO_TOKEN="demo-token"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
run_as_root() {
    if [[ ${EUID} -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*': run this script as root or install sudo"
    fi
}

# Installs Debian packages non-interactively (CI has no stdin).
apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found; install these packages with your package manager: $*"
    log "installing Debian packages: $*"
    run_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
        warn "apt-get update failed; trying the install with the current package lists"
    run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "$@" </dev/null ||
        die "apt-get install $* failed"
}

debian_package_installed() {
    command -v dpkg-query >/dev/null 2>&1 &&
        [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# unixODBC: the driver manager (libodbc), odbcinst, isql/iusql, and the
# development files (libodbc.so) that odbc-api links against in the tests.
ensure_unixodbc() {
    local missing=0 tool
    for tool in odbcinst isql iusql; do
        command -v "${tool}" >/dev/null 2>&1 || missing=1
    done
    if command -v dpkg-query >/dev/null 2>&1 && ! debian_package_installed unixodbc-dev; then
        missing=1
    fi
    if [[ ${missing} -eq 1 ]]; then
        apt_install unixodbc unixodbc-dev odbcinst
    fi
    command -v odbcinst >/dev/null 2>&1 || die "odbcinst still missing after installing unixODBC"
}

# Replaces @KEY@ placeholders in a template: render_template IN OUT KEY=VALUE...
# Values are inserted literally (no sed, so '/', '&' and '|' in paths are safe).
render_template() {
    local template=$1 output=$2 content pair key value
    shift 2
    content=$(<"${template}")
    # bash 5.2 would otherwise expand '&' in the replacement to the match.
    shopt -u patsub_replacement 2>/dev/null || true
    for pair in "$@"; do
        key=${pair%%=*}
        value=${pair#*=}
        content=${content//@${key}@/${value}}
    done
    printf '%s\n' "${content}" >"${output}"
}

# Polls for a non-empty file until a deadline; fails early if the process
# that should write it has exited. wait_for_file FILE PID TIMEOUT_SECONDS
wait_for_file() {
    local file=$1 pid=$2 timeout_seconds=$3
    local deadline=$((SECONDS + timeout_seconds))
    while [[ ! -s ${file} ]]; do
        if ! kill -0 "${pid}" 2>/dev/null; then
            return 2
        fi
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep 0.1
    done
}

# Starts pipedrive-sim on an OS-chosen loopback port and waits until it
# listens. Sets SIM_PID and SIM_PORT.
# start_pipedrive_sim BINARY STATE_DIR DETACH(yes|no) [SIM ARGS...]
# DETACH=yes puts it in its own session so it outlives the calling script.
start_pipedrive_sim() {
    local binary=$1 state_dir=$2 detach=$3
    shift 3
    local port_file="${state_dir}/sim.port" log_file="${state_dir}/sim.log"
    [[ -x ${binary} ]] || die "simulator not found at ${binary} (run cargo build --release --workspace)"
    mkdir -p "${state_dir}"
    rm -f "${port_file}"
    if [[ ${detach} == yes ]]; then
        # A background job of a non-interactive shell is not a process-group
        # leader, so setsid does not fork and $! is the simulator's own pid.
        setsid "${binary}" --port 0 --port-file "${port_file}" "$@" \
            </dev/null >"${log_file}" 2>&1 &
    else
        "${binary}" --port 0 --port-file "${port_file}" "$@" </dev/null >"${log_file}" 2>&1 &
    fi
    SIM_PID=$!
    local status=0
    wait_for_file "${port_file}" "${SIM_PID}" 30 || status=$?
    if [[ ${status} -ne 0 ]]; then
        if [[ ${status} -eq 2 ]]; then
            warn "pipedrive-sim exited before listening; its log (${log_file}):"
        else
            warn "pipedrive-sim wrote no port file within 30 s; its log (${log_file}):"
            kill "${SIM_PID}" 2>/dev/null || true
        fi
        sed 's/^/    /' "${log_file}" >&2 || true
        return 1
    fi
    SIM_PORT=$(tr -d '[:space:]' <"${port_file}")
    [[ ${SIM_PORT} =~ ^[0-9]+$ ]] || {
        warn "pipedrive-sim port file holds '${SIM_PORT}', not a port number"
        return 1
    }
    # Exported for callers that pass it on to child processes.
    export SIM_PID SIM_PORT
}

# True when PID is alive and is a pipedrive-sim process (guards against a
# pid file whose process died and whose pid was reused).
is_pipedrive_sim() {
    local pid=$1
    [[ ${pid} =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/${pid}/comm ]] || return 1
    [[ "$(cat "/proc/${pid}/comm" 2>/dev/null)" == pipedrive-sim* ]]
}

# Stops the simulator whose pid is in PID_FILE, waiting up to 10 s for it to
# exit, then removes the pid file.
stop_pipedrive_sim() {
    local pid_file=$1 pid deadline
    [[ -f ${pid_file} ]] || return 0
    pid=$(tr -d '[:space:]' <"${pid_file}")
    if is_pipedrive_sim "${pid}"; then
        log "stopping pipedrive-sim (pid ${pid})"
        kill "${pid}" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.1
        done
        if kill -0 "${pid}" 2>/dev/null; then
            kill -KILL "${pid}" 2>/dev/null || true
        fi
    fi
    rm -f "${pid_file}"
}

# Where the installer keeps its state (demo pid/port/log, install record).
installer_state_dir() {
    printf '%s/pipedrive-odbc\n' "${XDG_STATE_HOME:-${HOME}/.local/state}"
}

# odbcinst for driver registration in the given scope.
# System scope writes odbcinst.ini in ODBCSYSINI (default /etc).
# User scope writes ~/.odbcinst.ini: odbcinst -i -d always writes the
# "system" file, so point that at ~/.odbcinst.ini; the driver manager reads
# ~/.odbcinst.ini after the system file when it resolves a driver name.
odbcinst_for_drivers() {
    local scope=$1
    shift
    if [[ ${scope} == user ]]; then
        ODBCSYSINI="${HOME}" ODBCINSTINI=.odbcinst.ini odbcinst "$@"
    else
        odbcinst "$@"
    fi
}

# rustup installs cargo in ~/.cargo/bin, which a non-login shell (CI, sudo)
# may not have on PATH. Returns non-zero if there is no cargo at all.
ensure_cargo_on_path() {
    if ! command -v cargo >/dev/null 2>&1 && [[ -x "${CARGO_HOME:-${HOME}/.cargo}/bin/cargo" ]]; then
        PATH="${CARGO_HOME:-${HOME}/.cargo}/bin:${PATH}"
        export PATH
    fi
    command -v cargo >/dev/null 2>&1
}
