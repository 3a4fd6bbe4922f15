#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for a bounded time and fails on
# a crash, a hang (an input taking over PER_INPUT_TIMEOUT seconds) or a
# memory blow-up (over RSS_LIMIT_MB). Before fuzzing, each target replays
# its kept regression inputs (fuzz/regressions/<target>/).
#
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   (default 120 s, all)
# Needs rustup (installs the nightly toolchain and cargo-fuzz if missing).
# Crashing inputs land in fuzz/artifacts/<target>/; the growing corpus in
# fuzz/target/corpus/<target>/ (the checked-in seeds stay untouched).
# Ends with "N passed, N failed, N skipped" (targets); exits non-zero if any
# target failed. Time: build (about 2 min when only the driver changed,
# 15 min from scratch on 2 cores) plus SECONDS_PER_TARGET per target.
set -uo pipefail

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "${fuzz_dir}" || exit 1

readonly ALL_TARGETS=(connection_string sql to_c api_page)
readonly PER_INPUT_TIMEOUT=20
readonly RSS_LIMIT_MB=2048

seconds=${1:-120}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=("${ALL_TARGETS[@]}")
fi
[[ ${seconds} =~ ^[0-9]+$ ]] || {
    echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
}

log() { printf '==> %s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

command -v rustup >/dev/null 2>&1 || die "rustup is needed (nightly toolchain for libFuzzer)"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    log "installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal </dev/null || die "could not install nightly"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked </dev/null || die "could not install cargo-fuzz"
fi

log "building the fuzz targets (cargo +nightly fuzz build)"
cargo +nightly fuzz build </dev/null || die "cargo fuzz build failed"
bin_dir="${fuzz_dir}/target/x86_64-unknown-linux-gnu/release"

# Extra libFuzzer flags per target.
declare -A FLAGS=(
    [sql]="-max_len=2048"
)

passed=0
failed=0
skipped=0
summary=()
for target in "${targets[@]}"; do
    binary="${bin_dir}/${target}"
    if [[ ! -x ${binary} ]]; then
        summary+=("$(printf '%-18s not built' "${target}")")
        failed=$((failed + 1))
        continue
    fi
    artifacts="${fuzz_dir}/artifacts/${target}"
    work_corpus="${fuzz_dir}/target/corpus/${target}"
    mkdir -p "${artifacts}" "${work_corpus}"
    run_log="${fuzz_dir}/target/${target}.log"
    common=(-timeout="${PER_INPUT_TIMEOUT}" -rss_limit_mb="${RSS_LIMIT_MB}"
        -artifact_prefix="${artifacts}/")
    # shellcheck disable=SC2206 # the flags are words
    extra=(${FLAGS[${target}]:-})

    regressions="${fuzz_dir}/regressions/${target}"
    if compgen -G "${regressions}/*" >/dev/null; then
        log "${target}: replaying $(find "${regressions}" -type f | wc -l) regression input(s)"
        if ! "${binary}" "${common[@]}" "${extra[@]}" "${regressions}"/* >"${run_log}" 2>&1; then
            summary+=("$(printf '%-18s FAILED on a regression input (log: %s)' "${target}" "${run_log#"${fuzz_dir}"/}")")
            failed=$((failed + 1))
            continue
        fi
    fi

    seeds=()
    [[ -d "${fuzz_dir}/corpus/${target}" ]] && seeds=("${fuzz_dir}/corpus/${target}")
    log "${target}: fuzzing for ${seconds} s"
    status=0
    timeout --kill-after=30 "$((seconds + 300))" \
        "${binary}" "${common[@]}" "${extra[@]}" -max_total_time="${seconds}" \
        -print_final_stats=1 "${work_corpus}" "${seeds[@]}" </dev/null >"${run_log}" 2>&1 ||
        status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "${run_log}" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "${run_log}" | tail -1)
    corpus=$(find "${work_corpus}" -type f | wc -l)
    if ((status == 0)); then
        passed=$((passed + 1))
        summary+=("$(printf '%-18s ok      %10s runs (%s/s), corpus %d' "${target}" "${runs:-?}" "${rate:-?}" "${corpus}")")
    else
        failed=$((failed + 1))
        crash=$(sed -n 's/.*Test unit written to //p' "${run_log}" | tail -1)
        summary+=("$(printf '%-18s FAILED  status %d after %s runs; input: %s; log: %s' "${target}" "${status}" \
            "${runs:-?}" "${crash:-none written}" "${run_log#"${fuzz_dir}"/}")")
        grep -m1 -E "panicked at|ERROR: (AddressSanitizer|libFuzzer)" "${run_log}" >&2 || true
    fi
done

echo
echo "==== fuzzing (${seconds} s per target) ===="
for line in "${summary[@]}"; do
    echo "${line}"
done
echo "total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
((failed == 0))
