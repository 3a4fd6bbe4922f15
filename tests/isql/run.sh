#!/usr/bin/env bash
# Drives the driver through unixODBC's own clients, each running
#   SELECT Id, Title FROM Deals LIMIT 5
# against a private pipedrive-sim and comparing with the API's first 5 deals:
#   isql DSN                   -> SQLConnect (ANSI)
#   isql -k "Driver=..."       -> SQLDriverConnect (ANSI)
#   iusql DSN                  -> SQLDriverConnectW with "DSN=..." (wide;
#                                 iusql never calls SQLConnectW)
#   iusql "DRIVER=...;..."     -> SQLDriverConnectW with the whole string
#                                 (iusql accepts one from unixODBC 2.3.12 on)
# The DSN and the driver registration live in temporary ini files
# (ODBCSYSINI/ODBCINI); nothing is installed.
# Prints "N passed, N failed, N skipped" and exits non-zero on a failure.
#
# Environment: PYTHON (default python3) fetches the expected rows;
# PIPEDRIVE_ODBC_DRIVER and PIPEDRIVE_SIM override the target/release paths.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

driver_path=${PIPEDRIVE_ODBC_DRIVER:-${repo_root}/target/release/libpipedrive_odbc.so}
sim_path=${PIPEDRIVE_SIM:-${repo_root}/target/release/pipedrive-sim}
python=${PYTHON:-python3}
driver_name="Pipedrive ODBC Driver"
sql="SELECT Id, Title FROM Deals LIMIT 5"
client_timeout_seconds=60

passed=0
failed=0
skipped=0
skip() {
    skipped=$((skipped + 1))
    printf 'ok - %s # SKIP %s\n' "$1" "$2"
}
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
summary_and_exit() {
    printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
    if ((failed > 0)); then
        exit 1
    fi
    exit 0
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

for file in "${driver_path}" "${sim_path}"; do
    if [[ ! -f ${file} ]]; then
        fail "prerequisites" "${file} not found (cargo build --release --workspace)"
        summary_and_exit
    fi
done
driver_path=$(cd "$(dirname "${driver_path}")" && pwd)/$(basename "${driver_path}")

token="isql-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if ! start_pipedrive_sim "${sim_path}" "${work_dir}/sim" no \
    --token "${token}" --seed 7 --deals 50; then
    fail "start pipedrive-sim"
    summary_and_exit
fi
base_url="http://127.0.0.1:${SIM_PORT}"

# The expected rows, tab-separated, from the API itself.
expected_file="${work_dir}/expected.tsv"
if ! "${python}" - "${base_url}" "${token}" >"${expected_file}" <<'EOF'; then
import json
import sys
import urllib.request

base_url, token = sys.argv[1], sys.argv[2]
request = urllib.request.Request(f"{base_url}/api/v2/deals?limit=5", headers={"x-api-token": token})
with urllib.request.urlopen(request, timeout=30) as response:
    deals = json.loads(response.read().decode("utf-8"))["data"]
for deal in deals[:5]:
    sys.stdout.write(f"{deal['id']}\t{deal['title']}\n")
EOF
    fail "fetch the expected rows from the simulator API"
    summary_and_exit
fi
expected_ids=$(cut -f1 "${expected_file}")
if [[ $(wc -l <"${expected_file}") -ne 5 ]]; then
    fail "fetch the expected rows from the simulator API" "$(cat "${expected_file}")"
    summary_and_exit
fi

export ODBCSYSINI="${work_dir}/odbc"
export ODBCINI="${ODBCSYSINI}/odbc.ini"
# Keep the user's own ~/.odbcinst.ini out of driver look-ups.
export HOME="${work_dir}/home"
# isql prints result text in the locale's encoding.
export LC_ALL=C.UTF-8
mkdir -p "${ODBCSYSINI}" "${HOME}"
cat >"${ODBCSYSINI}/odbcinst.ini" <<EOF
[${driver_name}]
Description=driver under test
Driver=${driver_path}
EOF
cat >"${ODBCINI}" <<EOF
[PipedriveIsql]
Driver=${driver_name}
APIToken=${token}
CompanyDomain=demo
APIBaseURL=${base_url}

[PipedriveIsqlBadToken]
Driver=${driver_name}
APIToken=wrong-${token}
CompanyDomain=demo
APIBaseURL=${base_url}
EOF
connection_string="Driver=${driver_path};APIToken=${token};CompanyDomain=demo;APIBaseURL=${base_url}"

# run_client NAME COMPARE_TITLES CLIENT ARGS...: runs the query with the
# client in batch mode, tab-delimited, and compares with the API's rows.
run_client() {
    local name=$1 compare_titles=$2
    shift 2
    local output status=0
    output=$(printf '%s\n' "${sql}" | timeout "${client_timeout_seconds}" "$@" -b -v -x0x09 2>&1) || status=$?
    if [[ ${status} -ne 0 ]]; then
        fail "${name}" "exit status ${status}; output:"$'\n'"${output}"
        return
    fi
    # isql exits 0 even when the statement fails: look for its diagnostics.
    if grep -Eq '^\[(ISQL\]ERROR|[0-9A-Z]{5}\])' <<<"${output}"; then
        fail "${name}" "${output}"
        return
    fi
    local ids
    ids=$(cut -f1 <<<"${output}")
    if [[ ${ids} != "${expected_ids}" ]]; then
        fail "${name}" "expected ids:"$'\n'"${expected_ids}"$'\n'"got:"$'\n'"${output}"
        return
    fi
    if [[ ${compare_titles} == yes && ${output} != "$(cat "${expected_file}")" ]]; then
        fail "${name}: titles" "expected:"$'\n'"$(cat "${expected_file}")"$'\n'"got:"$'\n'"${output}"
        return
    fi
    pass "${name}"
}

run_client "isql DSN (SQLConnect)" yes isql PipedriveIsql
run_client "isql -k connection string (SQLDriverConnect)" yes isql -k "${connection_string}"
run_client "isql -k with the registered driver name" yes \
    isql -k "Driver=${driver_name};APIToken=${token};CompanyDomain=demo;APIBaseURL=${base_url}"
run_client "iusql DSN (SQLDriverConnectW with DSN=)" no iusql PipedriveIsql
# iusql takes a connection string in place of the DSN when it contains
# "DRIVER=" (upper case), from unixODBC 2.3.12 on; older ones prefix "DSN=".
unixodbc_version=$(isql --version 2>/dev/null | sed -n 's/^unixODBC \([0-9.]*\).*/\1/p')
if printf '%s\n' 2.3.12 "${unixodbc_version:-0}" | sort -V -C; then
    run_client "iusql connection string (SQLDriverConnectW)" no \
        iusql "DRIVER=${driver_path};APIToken=${token};CompanyDomain=demo;APIBaseURL=${base_url}"
else
    skip "iusql connection string (SQLDriverConnectW)" "iusql of unixODBC ${unixodbc_version:-?} takes no connection string (2.3.12+ does)"
fi

# A wrong token must fail the connect with 28000 and not echo any token.
bad_status=0
bad_output=$(printf '%s\n' "${sql}" | timeout "${client_timeout_seconds}" isql -b -v PipedriveIsqlBadToken 2>&1) ||
    bad_status=$?
if [[ ${bad_status} -eq 0 ]]; then
    fail "isql DSN with a wrong token fails" "isql connected:"$'\n'"${bad_output}"
elif ! grep -q '\[28000\]' <<<"${bad_output}"; then
    fail "isql DSN with a wrong token reports 28000" "${bad_output}"
elif grep -qF -- "${token}" <<<"${bad_output}"; then
    fail "isql DSN with a wrong token does not echo the token" "${bad_output}"
else
    pass "isql DSN with a wrong token reports 28000"
fi

summary_and_exit
