#!/usr/bin/env bash
# Runs a selection of the integration tests under valgrind memcheck: the
# test binary, the driver manager (unixODBC) and the driver it loads
# (target/release/libpipedrive_odbc.so), and the in-process simulator.
# Any invalid read or write, use of uninitialised memory, bad free, or
# definitely lost block fails the suite (valgrind exits 99), as does a
# failing test. Known false positives outside the driver are suppressed in
# tests/valgrind/suppressions.supp, each with its reason.
#
# Usage: tests/valgrind/run.sh [SUITE...]   (default: every suite below)
# Logs: target/valgrind/<suite>.log. Ends with "N passed, N failed,
# N skipped" (test cases; skipped = tests left out under valgrind; a suite
# whose tests pass but where memcheck reports errors counts one failure),
# exits non-zero if anything failed. About 5 minutes of valgrind on 2 cores, plus
# the release build of the driver and the test binaries when they are stale.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "${repo_root}" || exit 1
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

# Suites and the tests each leaves out (libtest --skip filters). Scans of
# many thousands of rows find nothing a small one does not, and take tens
# of minutes under valgrind's ~30x slowdown.
declare -A SKIP=(
    [odbc_api_client]="full_scan_of_100k_deals_returns_every_row_once"
)
# The FFI layer (handles, buffers, descriptors, block cursors, pieces), an
# odbc-api client, every table, the SQL features, writes with parameter
# arrays, DSNs and secrets, and paging: about 5 minutes of valgrind.
readonly DEFAULT_SUITES=(ffi_handles ffi_api block_cursors_and_pieces odbc_api_client
    all_tables sql_features writes dsn_and_secrets request_counts)
# Each suite's cap; a suite past it counts as failed (a hang under valgrind).
readonly SUITE_CAP_SECONDS=$((12 * 60))
readonly VALGRIND_ERROR_STATUS=99

suites=("$@")
if ((${#suites[@]} == 0)); then
    suites=("${DEFAULT_SUITES[@]}")
fi

log_dir="${repo_root}/target/valgrind"
mkdir -p "${log_dir}"

if ! command -v valgrind >/dev/null 2>&1; then
    apt_install valgrind
fi
ensure_unixodbc
# Reads cargo's JSON build messages below.
command -v python3 >/dev/null 2>&1 || apt_install python3
command -v cargo >/dev/null 2>&1 || die "cargo not found"
log "$(valgrind --version)"

# The tests load the driver from target/release.
log "cargo build --release"
cargo build --release </dev/null || die "cargo build --release failed"

# The test binaries, by suite name, from cargo's build messages.
test_args=()
for suite in "${suites[@]}"; do
    test_args+=(--test "${suite}")
done
log "building the test binaries"
declare -A binary=()
while IFS=$'\t' read -r name path; do
    binary[${name}]=${path}
done < <(
    cargo test --release --no-run --message-format=json "${test_args[@]}" </dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message.get("profile", {}).get("test"):
        print(message["target"]["name"], message["executable"], sep="\t")
'
)

passed=0
failed=0
skipped=0
summary=()

for suite in "${suites[@]}"; do
    executable=${binary[${suite}]:-}
    if [[ -z ${executable} ]]; then
        summary+=("$(printf '%-26s not built' "${suite}")")
        failed=$((failed + 1))
        continue
    fi
    skip_args=()
    for name in ${SKIP[${suite}]:-}; do
        skip_args+=(--skip "${name}")
    done
    suite_log="${log_dir}/${suite}.log"
    log "valgrind ${suite} (log: ${suite_log#"${repo_root}"/})"
    started=${SECONDS}
    timeout --kill-after=30 "${SUITE_CAP_SECONDS}" \
        valgrind --tool=memcheck \
        --error-exitcode="${VALGRIND_ERROR_STATUS}" \
        --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite \
        --num-callers=40 \
        --suppressions="${repo_root}/tests/valgrind/suppressions.supp" \
        --gen-suppressions=all \
        --log-file="${suite_log}" \
        "${executable}" --test-threads=2 "${skip_args[@]}" </dev/null >"${suite_log}.out" 2>&1
    status=$?
    elapsed=$((SECONDS - started))
    # "test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 2 filtered out"
    read -r p f i s < <(
        sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored; [0-9]* measured; \([0-9]*\) filtered out.*/\1 \2 \3 \4/p' \
            "${suite_log}.out" | awk '{ p += $1; f += $2; i += $3; s += $4 } END { print p + 0, f + 0, i + 0, s + 0 }'
    )
    errors=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "${suite_log}" | tail -1)
    note=""
    case ${status} in
    0) ;;
    "${VALGRIND_ERROR_STATUS}")
        note="valgrind found ${errors:-some} error(s): see ${suite_log#"${repo_root}"/}"
        # The tests passed but memcheck did not: count the suite as a failure.
        if ((f == 0)); then f=1; p=$((p > 0 ? p - 1 : 0)); fi
        ;;
    124 | 137)
        note="timed out after ${SUITE_CAP_SECONDS} s"
        if ((f == 0)); then f=1; fi
        ;;
    *)
        note="exit status ${status}: see ${suite_log#"${repo_root}"/}.out"
        if ((f == 0)); then f=1; fi
        ;;
    esac
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + i + s))
    summary+=("$(printf '%-26s %3d passed, %3d failed, %3d skipped  %4d s%s' \
        "${suite}" "${p}" "${f}" "$((i + s))" "${elapsed}" "${note:+  (${note})}")")
done

echo
echo "==== valgrind memcheck ===="
for line in "${summary[@]}"; do
    echo "${line}"
done
echo "total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
((failed == 0))
