#!/usr/bin/env bash
# The driver under iODBC, the driver manager of macOS, tested with Debian's
# iODBC on Linux: the `iodbc` build (SQLWCHAR as a 4-byte wchar_t) runs
#   SELECT Id, Title FROM Deals ORDER BY Id LIMIT 5
# through iodbctest and iodbctestw against a private pipedrive-sim, by DSN
# and by connection string, and the output must hold the API's first 5
# deals, non-ASCII titles included; a wrong token must give SQLSTATE 28000.
# iodbctest is Debian's (an ANSI application: iODBC converts to wchar_t for
# the driver's W entry points). iodbctestw, the same sample built with
# -DUNICODE (a wide application: SQLDriverConnectW, SQLPrepareW,
# SQLGetData(SQL_C_WCHAR), SQLGetDiagRecW), is not packaged by Debian, so
# this script builds it from Debian's libiodbc2 source package into
# target/iodbc/iodbctestw (kept for reruns) and links it to Debian's
# libiodbc.so.2.
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
# iodbctestw: upstream's samples/Makefile.am builds it from
# samples/iodbctest.c with iodbctestw_CFLAGS = -DUNICODE and the include/
# of the iODBC tree. The flags are read from that Makefile.am; the headers
# are the tree's own (libiodbc2-dev would conflict with unixodbc-dev).
# The installed libiodbc2's source version is tried first, then the other
# versions the Debian archive lists (newest first), for a mirror that lacks
# the older tarball; apt fetches the signed Sources indexes into a private
# directory (no change to the system's apt configuration) and checks the
# tarball's hash. Prints the source version on success.
build_iodbctestw() {
    local apt_dir="${work_dir}/apt" src_dir="${iodbctestw_dir}/src" codename="" suite
    local installed version tarball="" makefile cppflags_line cflags_line
    local -a apt_opts versions cppflags cflags suites=()
    if ! command -v cc >/dev/null 2>&1; then
        (apt_install gcc libc6-dev) >&2 || {
            echo "no C compiler (cc), and installing gcc failed"
            return 1
        }
    fi
    if ! command -v apt-get >/dev/null 2>&1 || [[ ! -r ${debian_keyring} ]]; then
        echo "needs apt-get and ${debian_keyring} (Debian) to fetch the libiodbc2 source package"
        return 1
    fi
    if [[ -r /etc/os-release ]]; then
        # shellcheck disable=SC1091 # the system's, not ours
        codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    fi
    for suite in ${codename} trixie sid; do
        [[ " ${suites[*]} " == *" ${suite} "* ]] || suites+=("${suite}")
    done
    mkdir -p "${apt_dir}/lists/partial" "${apt_dir}/cache/archives/partial" \
        "${apt_dir}/parts" "${apt_dir}/download"
    for suite in "${suites[@]}"; do
        printf 'deb-src [signed-by=%s] %s %s main\n' "${debian_keyring}" "${debian_mirror}" "${suite}"
    done >"${apt_dir}/sources.list"
    apt_opts=(-o "Dir::Etc::SourceList=${apt_dir}/sources.list"
        -o "Dir::Etc::SourceParts=${apt_dir}/parts"
        -o "Dir::State::Lists=${apt_dir}/lists"
        -o "Dir::Cache=${apt_dir}/cache"
        -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
    log "fetching the libiodbc2 source index (${suites[*]}) into ${apt_dir}" >&2
    apt-get "${apt_opts[@]}" update >&2 </dev/null || {
        echo "apt-get update of the deb-src index failed"
        return 1
    }
    installed=$(dpkg-query -W -f='${source:Version}' libiodbc2 2>/dev/null) || installed=""
    mapfile -t versions < <({
        [[ -z ${installed} ]] || printf '%s\n' "${installed}"
        apt-cache "${apt_opts[@]}" showsrc libiodbc2 | sed -n 's/^Version: //p' | sort -urV
    } | awk '!seen[$0]++')
    for version in "${versions[@]}"; do
        rm -f "${apt_dir}/download/"*
        if (cd "${apt_dir}/download" &&
            apt-get "${apt_opts[@]}" source --download-only --tar-only "libiodbc2=${version}" >&2 </dev/null); then
            tarball=$(find "${apt_dir}/download" -maxdepth 1 -name 'libiodbc2_*.orig.tar.*' -print -quit)
            [[ -n ${tarball} ]] && break
        fi
        echo "libiodbc2 ${version}: no source tarball from ${debian_mirror}" >&2
    done
    if [[ -z ${tarball} ]]; then
        echo "no libiodbc2 source tarball could be downloaded (tried: ${versions[*]:-none})"
        return 1
    fi
    rm -rf "${src_dir}"
    mkdir -p "${src_dir}"
    tar -xf "${tarball}" -C "${src_dir}" --strip-components=1 --wildcards \
        '*/include/*' '*/samples/iodbctest.c' '*/samples/Makefile.am' >&2 || {
        echo "unpacking ${tarball##*/} failed"
        return 1
    }
    makefile="${src_dir}/samples/Makefile.am"
    cppflags_line=$(sed -n -E 's/^(AM_CPPFLAGS|INCLUDES)[[:space:]]*=[[:space:]]*//p' "${makefile}" | head -n 1)
    cflags_line=$(sed -n -E 's/^iodbctestw_CFLAGS[[:space:]]*=[[:space:]]*//p' "${makefile}" | head -n 1)
    # shellcheck disable=SC2016 # a literal make variable
    if [[ ${cflags_line} != *-DUNICODE* || ${cppflags_line} != *'$(top_srcdir)/include'* ]]; then
        echo "samples/Makefile.am of libiodbc2 ${version} does not build iodbctestw as expected" \
            "(iodbctestw_CFLAGS='${cflags_line}', AM_CPPFLAGS='${cppflags_line}')"
        return 1
    fi
    read -ra cppflags <<<"${cppflags_line//\$(top_srcdir)/${src_dir}}"
    read -ra cflags <<<"${cflags_line}"
    log "cc ${cppflags[*]} ${cflags[*]} samples/iodbctest.c -o ${iodbctestw} -l:libiodbc.so.2" >&2
    cc -O2 "${cppflags[@]}" "${cflags[@]}" "${src_dir}/samples/iodbctest.c" \
        -o "${iodbctestw}.tmp" -l:libiodbc.so.2 >&2 || {
        echo "compiling iodbctestw from libiodbc2 ${version} failed"
        return 1
    }
    mv "${iodbctestw}.tmp" "${iodbctestw}"
    printf 'libiodbc2 %s (%s)\n' "${version}" "${tarball##*/}" >"${iodbctestw_dir}/source"
    cat "${iodbctestw_dir}/source"
}

readonly iodbctestw_dir="${target_dir}/iodbctestw"
readonly iodbctestw="${iodbctestw_dir}/iodbctestw"
readonly debian_mirror=${IODBC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
readonly debian_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
have_iodbctestw=no
if [[ -x ${iodbctestw} && -s ${iodbctestw_dir}/source ]]; then
    pass "iodbctestw from $(head -n 1 "${iodbctestw_dir}/source"), built before (${iodbctestw})"
    have_iodbctestw=yes
else
    mkdir -p "${iodbctestw_dir}"
    if iodbctestw_result=$(build_iodbctestw 2>"${work_dir}/iodbctestw.log"); then
        pass "build iodbctestw from ${iodbctestw_result}"
        have_iodbctestw=yes
    else
        fail "build iodbctestw from Debian's libiodbc2 source package" \
            "${iodbctestw_result}"$'\n'"$(tail -n 30 "${work_dir}/iodbctestw.log")"
    fi
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

# check_query CLIENT NAME CONNECT: runs the query through CLIENT (iodbctest
# or iodbctestw) and looks for every expected row (both print columns
# padded and separated by '|').
check_query() {
    local client=$1 name=$2 connect=$3 output id title missing=""
    output=$(printf 'SELECT Id, Title FROM Deals ORDER BY Id LIMIT 5\nquit\n' |
        timeout 60 "${client}" "${connect}" 2>&1)
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

# check_bad_token CLIENT NAME: iODBC shows the driver's 28000 diagnostic,
# decoded whole, and the token is not in it.
check_bad_token() {
    local client=$1 name=$2 output
    output=$(printf 'quit\n' | timeout 60 "${client}" \
        "DRIVER=Pipedrive ODBC Driver;APIToken=wrong-${token};APIBaseURL=${base_url}" 2>&1)
    if grep -q "SQLSTATE=28000" <<<"${output}" && ! grep -q "wrong-${token}" <<<"${output}"; then
        pass "${name}"
    else
        fail "${name}" "${output}"
    fi
}

driver_connect="DRIVER=Pipedrive ODBC Driver;APIToken=${token};CompanyDomain=demo;APIBaseURL=${base_url}"
check_query iodbctest "iodbctest DSN=PipedriveIodbc" "DSN=PipedriveIodbc"
check_query iodbctest "iodbctest with a DRIVER= connection string" "${driver_connect}"
check_bad_token iodbctest "iodbctest: a wrong token is SQLSTATE 28000 and never echoed"

iodbctestw_checks=(
    "iodbctestw DSN=PipedriveIodbc"
    "iodbctestw with a DRIVER= connection string"
    "iodbctestw: a wrong token is SQLSTATE 28000 and never echoed"
)
if [[ ${have_iodbctestw} == yes ]]; then
    check_query "${iodbctestw}" "${iodbctestw_checks[0]}" "DSN=PipedriveIodbc"
    check_query "${iodbctestw}" "${iodbctestw_checks[1]}" "${driver_connect}"
    check_bad_token "${iodbctestw}" "${iodbctestw_checks[2]}"
else
    for name in "${iodbctestw_checks[@]}"; do
        fail "${name}" "iodbctestw was not built (see above)"
    done
fi

finish
