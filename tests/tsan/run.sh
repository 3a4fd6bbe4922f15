#!/usr/bin/env bash
# Runs the concurrency tests (tests/concurrency.rs: the 32-thread connect,
# query, fetch, disconnect soak and the shared-connection tests) under
# ThreadSanitizer, twice:
#   direct   tests/concurrency.rs as cargo builds it. It calls
#            pipedrive_odbc::ffi itself, which links the driver's rlib into
#            the test and makes its #[no_mangle] SQL* functions take
#            odbc-api's calls as well: no call reaches unixODBC.
#   unixodbc the same source file built by tests/tsan/dm, whose stand-in
#            `pipedrive_odbc` crate declares libodbc's functions instead:
#            every call goes through unixODBC to the driver cdylib it
#            dlopens (libpipedrive_odbc.so, built with TSan too).
# Everything Rust in the process is instrumented (the tests, the in-process
# simulator, the driver, each with std rebuilt by -Zbuild-std). unixODBC,
# libc and ring's C and assembly are not: TSan sees their pthread calls
# (interceptors), not their memory accesses, so they cannot cause reports
# of their own, only hide races inside themselves.
#
# How the pieces fit:
#   - rustc links the static TSan runtime into executables only; the driver
#     cdylib leaves __tsan_* undefined. -Wl,--export-dynamic puts the
#     runtime in the executable's dynamic symbol table, so the dlopened
#     driver binds to that one runtime. tests/tsan/canary checks this first:
#     a deliberate race inside a dlopened cdylib must be reported.
#   - --target makes RUSTFLAGS skip build scripts and proc macros (host
#     code, run by cargo, not by the test).
#   - Output goes to target/tsan only (target/release is left alone).
#
# Usage: tests/tsan/run.sh [TEST_FILTER...]   (default: every test in
# tests/concurrency.rs). SOAK_SECONDS (default 120) is the soak's length,
# in each of the two runs.
# Any ThreadSanitizer report fails the run (reports are collected, not
# halted on, so one run shows them all; exit status 66 from the runtime).
# Known reports outside the driver are suppressed in
# tests/tsan/suppressions.txt, each with its reason.
# Logs: target/tsan/<run>.log (test output and TSan reports).
# Ends with "N passed, N failed, N skipped" (test cases of both runs; a run
# whose tests pass but where TSan reported counts one failure); exits
# non-zero if anything failed. Time on 2 cores: about 16 min to build from
# scratch (std and every dependency rebuilt instrumented), then twice the
# soak plus about 3 min for the other tests.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "${repo_root}" || exit 1
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

readonly TOOLCHAIN=nightly
readonly TSAN_EXIT_STATUS=66
soak_seconds=${SOAK_SECONDS:-120}
[[ ${soak_seconds} =~ ^[0-9]+$ ]] || die "SOAK_SECONDS must be a number of seconds, not '${soak_seconds}'"
# The whole run's cap: the soak, the other tests (TSan slows them ~5-15x),
# and slack for a loaded machine. Past it the run counts as failed (a hang).
readonly RUN_CAP_SECONDS=$((soak_seconds + 20 * 60)) # per run

filters=("$@")
target_dir="${repo_root}/target/tsan"
log_dir="${target_dir}"
mkdir -p "${log_dir}"

ensure_cargo_on_path || die "cargo not found (install rustup: https://rustup.rs)"
command -v rustup >/dev/null 2>&1 || die "rustup is needed (nightly toolchain for -Zsanitizer)"
if ! rustup run "${TOOLCHAIN}" rustc --version >/dev/null 2>&1; then
    log "installing the ${TOOLCHAIN} toolchain"
    rustup toolchain install "${TOOLCHAIN}" --profile minimal </dev/null ||
        die "could not install the ${TOOLCHAIN} toolchain"
fi
# -Zbuild-std rebuilds std (instrumented) from the rust-src component.
if ! rustup component list --toolchain "${TOOLCHAIN}" --installed 2>/dev/null | grep -q '^rust-src'; then
    log "installing rust-src for ${TOOLCHAIN}"
    rustup component add rust-src --toolchain "${TOOLCHAIN}" </dev/null ||
        die "could not install rust-src"
fi
ensure_unixodbc
# Reads cargo's JSON build messages below.
command -v python3 >/dev/null 2>&1 || apt_install python3

triple=$(rustc "+${TOOLCHAIN}" -vV | sed -n 's/^host: //p')
[[ -n ${triple} ]] || die "could not read the host triple from rustc -vV"
case ${triple} in
x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu) ;;
*) die "ThreadSanitizer is not supported by rustc on ${triple}" ;;
esac
log "$(rustc "+${TOOLCHAIN}" --version)"

# Frame pointers give TSan's fast unwinder full stacks in the reports.
export RUSTFLAGS="-Zsanitizer=thread -Cforce-frame-pointers=yes -Clink-arg=-Wl,--export-dynamic"
# A caller's encoded flags would override RUSTFLAGS.
unset CARGO_ENCODED_RUSTFLAGS
common_args=(-Zbuild-std --release --target "${triple}" --target-dir "${target_dir}")

# Builds the test binary and the library it tests, with both its crate
# types: the rlib the tests link, and the driver cdylib that unixODBC loads
# (left in target/tsan/<triple>/release/deps/: cargo only copies a root
# unit's cdylib up to release/, so the run names it in
# PIPEDRIVE_ODBC_DRIVER). A separate cargo build --lib would rebuild most
# dependencies (without the dev-dependencies' features) for 8 more minutes
# and write the same deps/libpipedrive_odbc.so.
log "building the driver and tests/concurrency.rs with ThreadSanitizer (target/tsan)"
build_started=${SECONDS}
build_status=0
artifacts=$(
    cargo +"${TOOLCHAIN}" test "${common_args[@]}" --test concurrency --no-run \
        --message-format=json-render-diagnostics </dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") != "compiler-artifact":
        continue
    name = message["target"]["name"]
    if message.get("executable") and message.get("profile", {}).get("test") \
            and name == "concurrency":
        print("test", message["executable"], sep="\t")
    if name == "pipedrive_odbc":
        for filename in message.get("filenames", []):
            if filename.endswith(".so"):
                print("driver", filename, sep="\t")
'
) || build_status=$? # pipefail: cargo's failure, not python's success
executable=$(sed -n 's/^test\t//p' <<<"${artifacts}" | tail -1)
driver=$(sed -n 's/^driver\t//p' <<<"${artifacts}" | tail -1)
if ((build_status != 0)) || [[ -z ${executable} || ! -x ${executable} || ! -f ${driver} ]]; then
    echo
    echo "==== ThreadSanitizer ===="
    echo "the instrumented build failed (cargo exit status ${build_status}; test binary '${executable}', driver '${driver}')"
    printf '%d passed, %d failed, %d skipped\n' 0 1 0
    exit 1
fi
# The driver must take TSan from the executable, not carry a runtime.
# (grep -c, not grep -q: an early exit would fail nm, and so the pipeline.)
if (($(nm -D --undefined-only "${driver}" | grep -c ' __tsan_') == 0)); then
    die "${driver} has no __tsan_ references: not built with -Zsanitizer=thread?"
fi
if (($(nm -D --defined-only "${executable}" | grep -c ' __tsan_read8$') == 0)); then
    die "${executable} does not export the TSan runtime (--export-dynamic missing)"
fi

# The same tests as a client of unixODBC only (see tests/tsan/dm/Cargo.toml).
log "building tests/concurrency.rs as a unixODBC client (tests/tsan/dm)"
dm_executable=$(
    cargo +"${TOOLCHAIN}" test "${common_args[@]}" --no-run \
        --manifest-path "${repo_root}/tests/tsan/dm/Cargo.toml" \
        --message-format=json-render-diagnostics </dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "concurrency_via_unixodbc":
        print(message["executable"])
'
) || die "could not build tests/tsan/dm"
[[ -x ${dm_executable} ]] || die "tests/tsan/dm built no test binary"
# Its ODBC calls must be unixODBC's, not a linked-in driver's.
if (($(nm --defined-only "${dm_executable}" | grep -c ' SQLDriverConnect$') != 0)); then
    die "${dm_executable} defines SQLDriverConnect: it would bypass unixODBC"
fi
log "build took $((SECONDS - build_started)) s"

# The canary (tests/tsan/canary): a deliberate race inside a dlopened
# cdylib must be reported, or a clean run below would prove nothing (a
# driver that bound no TSan runtime, or a runtime that saw none of it).
log "checking that TSan reports a race in a dlopened library (tests/tsan/canary)"
canary_dir="${target_dir}/${triple}/release"
canary_log="${log_dir}/canary.log"
cargo +"${TOOLCHAIN}" build "${common_args[@]}" \
    --manifest-path "${repo_root}/tests/tsan/canary/Cargo.toml" </dev/null ||
    die "could not build tests/tsan/canary"
canary_status=0
TSAN_OPTIONS="exitcode=${TSAN_EXIT_STATUS}" \
    "${canary_dir}/tsan-canary" "${canary_dir}/libtsan_canary.so" </dev/null >"${canary_log}" 2>&1 ||
    canary_status=$?
if ((canary_status != TSAN_EXIT_STATUS)) ||
    (($(grep -c '^WARNING: ThreadSanitizer: data race' "${canary_log}") == 0)) ||
    (($(grep -c 'tsan_canary::bump' "${canary_log}") == 0)); then
    echo
    echo "==== ThreadSanitizer ===="
    echo "the canary's race was not reported (exit status ${canary_status}, see ${canary_log#"${repo_root}"/}): TSan is not live"
    printf '%d passed, %d failed, %d skipped\n' 0 1 0
    exit 1
fi

# exitcode: the runtime's status at exit when it reported anything.
# halt_on_error=0: every report in one run. second_deadlock_stack: both
# stacks of a lock-order inversion. history_size=7: older accesses still
# have stacks in long runs (at some memory cost).
tsan_options="exitcode=${TSAN_EXIT_STATUS} halt_on_error=0 second_deadlock_stack=1 history_size=7"
tsan_options+=" suppressions=${repo_root}/tests/tsan/suppressions.txt print_suppressions=1"
# A caller's options come last and win (e.g. TSAN_OPTIONS=halt_on_error=1).
export TSAN_OPTIONS="${tsan_options}${TSAN_OPTIONS:+ ${TSAN_OPTIONS}}"
export SOAK_SECONDS=${soak_seconds}
# Both runs load this driver (tests/common/mod.rs, tests/tsan/dm/src/lib.rs).
export PIPEDRIVE_ODBC_DRIVER=${driver}
# The Rust runtime prints the panic and its stack if a test fails.
export RUST_BACKTRACE=1
log "TSAN_OPTIONS=${TSAN_OPTIONS}"

passed=0
failed=0
skipped=0
report=()

# run_suite NAME EXECUTABLE: runs one test binary, adds to the totals and
# the report.
run_suite() {
    local name=$1 executable=$2
    local run_log="${log_dir}/${name}.log" status=0 started=${SECONDS}
    log "${name}: ${executable#"${repo_root}"/} (SOAK_SECONDS=${soak_seconds}, log: ${run_log#"${repo_root}"/})"
    # One test at a time: each test brings its own threads, and on 2 cores
    # the soak should not share the machine with the others.
    timeout --kill-after=30 "${RUN_CAP_SECONDS}" \
        "${executable}" --test-threads=1 --nocapture "${filters[@]}" </dev/null >"${run_log}" 2>&1 ||
        status=$?
    local elapsed=$((SECONDS - started))
    local p f i s
    # "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out"
    read -r p f i s < <(
        sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored; [0-9]* measured; \([0-9]*\) filtered out.*/\1 \2 \3 \4/p' \
            "${run_log}" | awk '{ p += $1; f += $2; i += $3; s += $4 } END { print p + 0, f + 0, i + 0, s + 0 }'
    )
    local warnings fatal suppressed note=""
    warnings=$(grep -c '^WARNING: ThreadSanitizer:' "${run_log}")
    fatal=$(grep -c -e '^ThreadSanitizer:DEADLYSIGNAL' -e '^==[0-9]*==ERROR: ThreadSanitizer' \
        -e '^FATAL: ThreadSanitizer' "${run_log}")
    suppressed=$(sed -n 's/^ThreadSanitizer: Matched \([0-9]*\) suppressions.*/\1/p' "${run_log}" | tail -1)
    case ${status} in
    0) ;;
    "${TSAN_EXIT_STATUS}")
        note="ThreadSanitizer reported ${warnings} warning(s): see ${run_log#"${repo_root}"/}"
        # The tests passed but TSan did not: count one failure.
        if ((f == 0)); then f=1; p=$((p > 0 ? p - 1 : 0)); fi
        ;;
    124 | 137)
        note="timed out after ${RUN_CAP_SECONDS} s"
        if ((f == 0)); then f=1; fi
        ;;
    *)
        note="exit status ${status}: see ${run_log#"${repo_root}"/}"
        if ((f == 0)); then f=1; fi
        ;;
    esac
    # A report the exit status missed (the process died first) still fails.
    if ((status == 0 && (warnings > 0 || fatal > 0))); then
        note="ThreadSanitizer reported ${warnings} warning(s), ${fatal} fatal error(s): see ${run_log#"${repo_root}"/}"
        f=$((f + 1))
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + i + s))
    report+=("$(printf -- '-- %s: %d passed, %d failed, %d skipped in %d s; TSan: %d warning(s), %d fatal, %s suppressed' \
        "${name}" "${p}" "${f}" "$((i + s))" "${elapsed}" "${warnings}" "${fatal}" "${suppressed:-0}")")
    # --nocapture prints the soak's line after "test ... " on the same line;
    # its "ok" follows on the next line.
    while IFS= read -r line; do
        report+=("   ${line}")
    done < <(
        grep '^test .* \.\.\. ' "${run_log}" | sed 's/ soak: .*//'
        grep -o 'soak: .*' "${run_log}" || echo "no soak line (the soak test did not run to its end)"
    )
    if [[ -n ${note} ]]; then report+=("   ${note}"); fi
}

run_suite direct "${executable}"
run_suite unixodbc "${dm_executable}"

echo
echo "==== ThreadSanitizer: tests/concurrency.rs ===="
for line in "${report[@]}"; do
    echo "${line}"
done
echo "total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
((failed == 0))
