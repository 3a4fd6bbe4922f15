#!/usr/bin/env bash
# The driver under iODBC, the driver manager of macOS, tested with Debian's
# iODBC on Linux: the `iodbc` build (SQLWCHAR as a 4-byte wchar_t) runs
#   SELECT Id, Title FROM Deals ORDER BY Id LIMIT 5
# through iodbctest against a private pipedrive-sim, by DSN and by
# connection string, and the output must hold the API's first 5 deals,
# non-ASCII titles included. iODBC hands a Unicode driver its W entry points
# with wchar_t strings even for an ANSI application like iodbctest, so this
# exercises the wide path; Debian ships no iodbctestw.
# Prints "N passed, N failed, N skipped" and exits non-zero on a failure.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "${repo_root}" || exit 1
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

# Its own target dir: the feature changes the library, which must not
# replace the unixODBC build the other suites load.
readonly target_dir="${repo_root}/target/iodbc"
readonly driver_path="${target_dir}/release/libpipedrive_odbc.so"
readonly sim_path=${PIPEDRIVE_SIM:-${repo_root}/target/release/pipedrive-sim}
readonly python=${PYTHON:-python3}

passed=0
failed=0
skipped=0
pass() {
    passed=$((passed + 1))
    printf 'ok - %s\n' "$1"
}
fail() {
    failed=$((failed + 1))
    printf 'not ok - %s\n' "$1"
    if [[ -n ${2:-} ]]; then
        printf '%s\n' "$2" | sed 's/^/    # /'
    fi
}
finish() {
    printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
    ((failed == 0))
    exit $?
}

work_dir=$(mktemp -d)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [[ -n ${SIM_PID:-} ]]; then
        kill "${SIM_PID}" 2>/dev/null || true
        wait "${SIM_PID}" 2>/dev/null || true
    fi
    rm -rf "${work_dir}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v iodbctest >/dev/null 2>&1; then
    (apt_install iodbc libiodbc2) || {
        fail "install iODBC (Debian packages iodbc, libiodbc2)"
        finish
    }
fi
ensure_cargo_on_path || {
    fail "cargo not found"
    finish
}
log "cargo build --release --lib --features iodbc --target-dir ${target_dir}"
if cargo build --release --lib --features iodbc --target-dir "${target_dir}" </dev/null; then
    pass "build the iodbc variant of the driver"
else
    fail "build the iodbc variant of the driver"
    finish
fi
if [[ ! -x ${sim_path} ]]; then
    fail "prerequisites" "${sim_path} not found (cargo build --release --workspace)"
    finish
fi

token="iodbc-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if ! start_pipedrive_sim "${sim_path}" "${work_dir}/sim" no --token "${token}" --seed 7 --deals 50; then
    fail "start pipedrive-sim"
    finish
fi
base_url="http://127.0.0.1:${SIM_PORT}"

# The expected rows from the API itself: ids and titles in id order.
expected_file="${work_dir}/expected.tsv"
if ! "${python}" - "${base_url}" "${token}" >"${expected_file}" <<'EOF'; then
import json
import sys
import urllib.request

base_url, token = sys.argv[1], sys.argv[2]
request = urllib.request.Request(f"{base_url}/api/v2/deals?limit=5", headers={"x-api-token": token})
with urllib.request.urlopen(request, timeout=30) as response:
    deals = json.loads(response.read().decode("utf-8"))["data"]
for deal in sorted(deals, key=lambda d: d["id"])[:5]:
    sys.stdout.write(f"{deal['id']}\t{deal['title']}\n")
EOF
    fail "fetch the expected rows from the simulator API"
    finish
fi

export ODBCINSTINI="${work_dir}/odbcinst.ini"
export ODBCINI="${work_dir}/odbc.ini"
export HOME="${work_dir}/home"
export LC_ALL=C.UTF-8
mkdir -p "${HOME}"
cat >"${ODBCINSTINI}" <<EOF
[ODBC Drivers]
Pipedrive ODBC Driver=Installed

[Pipedrive ODBC Driver]
Driver=${driver_path}
EOF
cat >"${ODBCINI}" <<EOF
[ODBC Data Sources]
PipedriveIodbc=Pipedrive ODBC Driver

[PipedriveIodbc]
Driver=Pipedrive ODBC Driver
APIToken=${token}
CompanyDomain=demo
APIBaseURL=${base_url}
EOF

# check_iodbctest NAME CONNECT: runs the query and looks for every expected
# row (iodbctest prints columns padded and separated by '|').
check_iodbctest() {
    local name=$1 connect=$2 output id title missing=""
    output=$(printf 'SELECT Id, Title FROM Deals ORDER BY Id LIMIT 5\nquit\n' |
        timeout 60 iodbctest "${connect}" 2>&1)
    while IFS=$'\t' read -r id title; do
        if ! grep -Eq "^${id} +\\|${title//[.()\[\]*+?^$|\\]/.}" <<<"${output}"; then
            missing+="${id} ${title}"$'\n'
        fi
    done <"${expected_file}"
    if [[ -z ${missing} ]] && grep -q "result set 1 returned 5 rows" <<<"${output}"; then
        pass "${name}"
    else
        fail "${name}" "missing: ${missing}${output}"
    fi
}

check_iodbctest "iodbctest DSN=PipedriveIodbc" "DSN=PipedriveIodbc"
check_iodbctest "iodbctest with a DRIVER= connection string" \
    "DRIVER=Pipedrive ODBC Driver;APIToken=${token};CompanyDomain=demo;APIBaseURL=${base_url}"

# A wrong token: iODBC shows the driver's 28000 diagnostic, decoded whole.
bad_output=$(printf 'quit\n' | timeout 60 iodbctest \
    "DRIVER=Pipedrive ODBC Driver;APIToken=wrong-${token};APIBaseURL=${base_url}" 2>&1)
if grep -q "SQLSTATE=28000" <<<"${bad_output}" && ! grep -q "wrong-${token}" <<<"${bad_output}"; then
    pass "a wrong token is SQLSTATE 28000 and never echoed"
else
    fail "a wrong token is SQLSTATE 28000 and never echoed" "${bad_output}"
fi

finish
