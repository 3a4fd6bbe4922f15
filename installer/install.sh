#!/usr/bin/env bash
# Builds and installs the Pipedrive ODBC driver for unixODBC.
#
#   installer/install.sh [--demo] [--prefix DIR] [--no-build]
#
# As root: files under /usr/local, driver registered in the system
# odbcinst.ini, demo DSN in the system odbc.ini.
# As another user: files under ~/.local, driver registered in
# ~/.odbcinst.ini, demo DSN in ~/.odbc.ini (unixODBC reads both).
# Re-running replaces the previous installation.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

usage() {
    cat <<'EOF'
Usage: installer/install.sh [--demo] [--prefix DIR] [--no-build]

  --demo        also start the Pipedrive API simulator on loopback, register
                the DSN "PipedriveDemo" for it and query it with isql
  --prefix DIR  install under DIR (default: /usr/local as root, ~/.local otherwise)
  --no-build    use the existing target/release build instead of running cargo
EOF
}

want_demo=no
want_build=yes
prefix=""
while [[ $# -gt 0 ]]; do
    case $1 in
    --demo) want_demo=yes ;;
    --no-build) want_build=no ;;
    --prefix)
        [[ $# -ge 2 ]] || die "--prefix needs a directory"
        prefix=$2
        shift
        ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        die "unknown option: $1"
        ;;
    esac
    shift
done

if [[ ${EUID} -eq 0 ]]; then
    scope=system
    prefix=${prefix:-/usr/local}
else
    scope=user
    prefix=${prefix:-${HOME}/.local}
fi
mkdir -p "${prefix}"
prefix=$(cd "${prefix}" && pwd)
lib_dir="${prefix}/lib/pipedrive-odbc"
bin_dir="${prefix}/bin"
driver_path="${lib_dir}/libpipedrive_odbc.so"
sim_path="${bin_dir}/pipedrive-sim"
state_dir=$(installer_state_dir)
build_dir="${repo_root}/target/release"

work_dir=$(mktemp -d)
trap 'rm -rf "${work_dir}"' EXIT

# 1. unixODBC ---------------------------------------------------------------
ensure_unixodbc

# 2. Build ------------------------------------------------------------------
if [[ ${want_build} == yes ]]; then
    ensure_cargo_on_path ||
        die "cargo not found: install Rust (https://rustup.rs) or pass --no-build with a finished build"
    log "building (cargo build --release --workspace)"
    (cd "${repo_root}" && cargo build --release --workspace)
fi
[[ -f "${build_dir}/libpipedrive_odbc.so" ]] ||
    die "${build_dir}/libpipedrive_odbc.so not found: build first (cargo build --release --workspace)"
if [[ ${want_demo} == yes && ! -x "${build_dir}/pipedrive-sim" ]]; then
    die "${build_dir}/pipedrive-sim not found: build first (cargo build --release --workspace)"
fi

# 3. Files ------------------------------------------------------------------
log "installing ${driver_path}"
install -d "${lib_dir}"
# Copy to a temporary name and rename: a process that has the old library
# loaded keeps its mapping instead of seeing the file change under it.
install -m 0755 "${build_dir}/libpipedrive_odbc.so" "${lib_dir}/.libpipedrive_odbc.so.new"
mv -f "${lib_dir}/.libpipedrive_odbc.so.new" "${driver_path}"
if [[ -x "${build_dir}/pipedrive-sim" ]]; then
    log "installing ${sim_path}"
    install -d "${bin_dir}"
    install -m 0755 "${build_dir}/pipedrive-sim" "${bin_dir}/.pipedrive-sim.new"
    mv -f "${bin_dir}/.pipedrive-sim.new" "${sim_path}"
fi
# The OAuth helper for headless machines (README, "OAuth").
if [[ -x "${build_dir}/pipedrive-odbc-auth" ]]; then
    log "installing ${bin_dir}/pipedrive-odbc-auth"
    install -d "${bin_dir}"
    install -m 0755 "${build_dir}/pipedrive-odbc-auth" "${bin_dir}/.pipedrive-odbc-auth.new"
    mv -f "${bin_dir}/.pipedrive-odbc-auth.new" "${bin_dir}/pipedrive-odbc-auth"
fi

# 4. Driver registration ----------------------------------------------------
driver_ini="${work_dir}/odbcinst.ini"
render_template "${repo_root}/driver-ini/odbcinst.ini.in" "${driver_ini}" \
    "DRIVER_PATH=${driver_path}"
# odbcinst -i -d adds one to UsageCount on every run; remove our previous
# registration first so a re-install leaves exactly one.
if odbcinst_for_drivers "${scope}" -q -d -n "${PIPEDRIVE_DRIVER_NAME}" >/dev/null 2>&1; then
    odbcinst_for_drivers "${scope}" -u -d -n "${PIPEDRIVE_DRIVER_NAME}" >/dev/null
fi
log "registering the driver \"${PIPEDRIVE_DRIVER_NAME}\" (${scope} odbcinst.ini)"
odbcinst_for_drivers "${scope}" -i -d -f "${driver_ini}" >/dev/null ||
    die "odbcinst could not register the driver"

# What the driver manager itself will resolve the name to (system file first,
# then ~/.odbcinst.ini):
resolved=$(odbcinst -q -d -n "${PIPEDRIVE_DRIVER_NAME}" 2>/dev/null | sed -n 's/^Driver=//p' | head -n 1)
if [[ ${resolved} != "${driver_path}" ]]; then
    if [[ ${scope} == user && -n ${resolved} ]]; then
        warn "a system-wide registration of \"${PIPEDRIVE_DRIVER_NAME}\" (Driver=${resolved}) takes precedence over yours; use Driver=${driver_path} in connection strings or ask root to re-install"
    else
        die "odbcinst resolves \"${PIPEDRIVE_DRIVER_NAME}\" to '${resolved}', expected ${driver_path}"
    fi
fi

mkdir -p "${state_dir}"
{
    printf 'INSTALLED_PREFIX=%q\n' "${prefix}"
    printf 'INSTALLED_SCOPE=%q\n' "${scope}"
} >"${state_dir}/install.env"

log "installed: driver \"${PIPEDRIVE_DRIVER_NAME}\" -> ${driver_path}"

if [[ ${want_demo} != yes ]]; then
    cat <<EOF

Connect with a connection string, for example:
  isql -v -k "Driver=${PIPEDRIVE_DRIVER_NAME};APIToken=YOUR_TOKEN;CompanyDomain=yourcompany"
or define a DSN (sample: ${repo_root}/driver-ini/odbc.ini.in).
Try it without a Pipedrive account: installer/install.sh --demo
Remove it again: installer/uninstall.sh
EOF
    exit 0
fi

# 5. Demo -------------------------------------------------------------------
pid_file="${state_dir}/sim.pid"
stop_pipedrive_sim "${pid_file}"
log "starting pipedrive-sim on loopback"
# The simulator's default data set: a small company (a few hundred deals).
start_pipedrive_sim "${sim_path}" "${state_dir}" yes --token "${PIPEDRIVE_DEMO_TOKEN}" ||
    die "the simulator did not start"
printf '%s\n' "${SIM_PID}" >"${pid_file}"
base_url="http://127.0.0.1:${SIM_PORT}"
log "pipedrive-sim is listening on ${base_url} (pid ${SIM_PID})"

dsn_ini="${work_dir}/odbc.ini"
# The template also carries a commented sample for a real account;
# odbcinst copies only the live [PipedriveDemo] section.
render_template "${repo_root}/driver-ini/odbc.ini.in" "${dsn_ini}" \
    "TOKEN=${PIPEDRIVE_DEMO_TOKEN}" "BASE_URL=${base_url}"
if [[ ${scope} == system ]]; then
    dsn_flag=-l
    dsn_where="system DSN"
else
    dsn_flag=-h
    dsn_where="user DSN"
fi
log "registering the ${dsn_where} ${PIPEDRIVE_DEMO_DSN}"
odbcinst -i -s "${dsn_flag}" -f "${dsn_ini}" >/dev/null ||
    die "odbcinst could not write the DSN ${PIPEDRIVE_DEMO_DSN}"
dsn_url=$(odbcinst -q -s -n "${PIPEDRIVE_DEMO_DSN}" 2>/dev/null | sed -n 's/^APIBaseURL=//p' | head -n 1)
[[ ${dsn_url} == "${base_url}" ]] ||
    die "isql would see APIBaseURL='${dsn_url}' for ${PIPEDRIVE_DEMO_DSN} (expected ${base_url}); another odbc.ini defines it first"

demo_sql="SELECT Id, Title, Value, Currency FROM Deals LIMIT 10"
log "isql -v -b ${PIPEDRIVE_DEMO_DSN}: ${demo_sql}"
# Tab-delimited with a header line (-c -x0x09): isql's own table pads and
# cuts by bytes, which mangles non-ASCII titles.
isql_status=0
isql_output=$(printf '%s\n' "${demo_sql}" | timeout 60 isql -v -b -c -x0x09 "${PIPEDRIVE_DEMO_DSN}" 2>&1) ||
    isql_status=$?
# isql exits 0 even when a statement fails; its diagnostics look like
# "[42S02][...]" or "[ISQL]ERROR: ...".
if [[ ${isql_status} -ne 0 ]] || grep -Eq '^\[(ISQL\]ERROR|[0-9A-Z]{5}\])' <<<"${isql_output}"; then
    printf '%s\n' "${isql_output}"
    die "the demo query failed (isql exit status ${isql_status}); the simulator is still running (pid ${SIM_PID})"
fi
if command -v column >/dev/null 2>&1; then
    # The driver's narrow strings are UTF-8; column escapes them in a non-UTF-8 locale.
    LC_ALL=C.UTF-8 column -t -s $'\t' <<<"${isql_output}"
else
    tr '\t' '|' <<<"${isql_output}"
fi
printf '(%d rows)\n' "$(($(wc -l <<<"${isql_output}") - 1))"

cat <<EOF

The demo is running.
  Simulator:  ${base_url}  (API token: ${PIPEDRIVE_DEMO_TOKEN}, pid ${SIM_PID}, log ${state_dir}/sim.log)
  DSN:        ${PIPEDRIVE_DEMO_DSN} (${dsn_where})

Query it yourself:
  isql -v ${PIPEDRIVE_DEMO_DSN}
  isql -v -k "Driver=${PIPEDRIVE_DRIVER_NAME};APIToken=${PIPEDRIVE_DEMO_TOKEN};CompanyDomain=demo;APIBaseURL=${base_url}"
  python3 -c 'import pyodbc; print(pyodbc.connect("DSN=${PIPEDRIVE_DEMO_DSN}").execute("SELECT Id, Title FROM Deals LIMIT 5").fetchall())'   # pip install pyodbc

Stop the simulator:       kill \$(cat ${pid_file})
Remove everything again:  ${repo_root}/installer/uninstall.sh
EOF
