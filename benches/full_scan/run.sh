#!/usr/bin/env bash
# Full-scan benchmark: 1,000,000 deals in pipedrive-sim (its own process, so
# its CPU and memory are not counted), scanned by three clients, each in a
# process of its own under /usr/bin/time -v:
#   odbc    unixODBC + odbc-api, block cursor of 1000 rows (benches/full_scan/main.rs)
#   pyodbc  pyodbc, fetchmany(1000) (benches/full_scan/pyodbc_scan.py)
#   http    reqwest (blocking) + serde_json over the same pages, every field
#           touched: the cost the driver cannot avoid
# plus first-row probes (one row fetched; pages served by then).
# Medians of the runs go into the "Full scan" section of docs/benchmarks.md.
#
# Usage: benches/full_scan/run.sh [--deals N] [--runs N] [--no-doc]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
deals=1000000
runs=3
write_doc=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --deals) deals="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --no-doc) write_doc=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

cd "${repo}"
work="$(mktemp -d)"
sim_pid=""
cleanup() {
    if [[ -n "${sim_pid}" ]]; then kill "${sim_pid}" 2>/dev/null || true; wait "${sim_pid}" 2>/dev/null || true; fi
    rm -rf "${work}"
}
trap cleanup EXIT

echo "building (release)..." >&2
cargo build --release --workspace >&2
bench_bin="$(cargo bench --bench full_scan --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "full_scan" and m.get("executable"):
        print(m["executable"])')"
[[ -x "${bench_bin}" ]] || { echo "no full_scan bench binary" >&2; exit 1; }

python="${repo}/.venv/bin/python"
[[ -x "${python}" ]] || python="python3"
"${python}" -c 'import pyodbc' || { echo "pyodbc is missing: run tests/run-all.sh once to create .venv" >&2; exit 1; }

token="bench-token-$$"
"${repo}/target/release/pipedrive-sim" --deals "${deals}" --token "${token}" \
    --port-file "${work}/port" >"${work}/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do [[ -s "${work}/port" ]] && break; sleep 0.1; done
[[ -s "${work}/port" ]] || { echo "the simulator did not start" >&2; cat "${work}/sim.log" >&2; exit 1; }

export FULL_SCAN_BASE_URL="http://127.0.0.1:$(cat "${work}/port")"
export FULL_SCAN_TOKEN="${token}"
export FULL_SCAN_DRIVER="${repo}/target/release/libpipedrive_odbc.so"

measure() { # name command...
    local name="$1"; shift
    echo "  ${name}" >&2
    /usr/bin/time -v -o "${work}/${name}.time" "$@" >"${work}/${name}.out"
}
client_args=(--ignored --exact --nocapture --test-threads=1)

for run in $(seq 1 "${runs}"); do
    echo "run ${run}/${runs}" >&2
    measure "http.${run}" "${bench_bin}" "${client_args[@]}" http_json_baseline
    measure "odbc.${run}" "${bench_bin}" "${client_args[@]}" odbc_block_scan
    measure "pyodbc.${run}" "${python}" benches/full_scan/pyodbc_scan.py scan
    measure "odbc_first_row.${run}" "${bench_bin}" "${client_args[@]}" odbc_first_row
    measure "pyodbc_first_row.${run}" "${python}" benches/full_scan/pyodbc_scan.py first_row
done

commands="$(cat <<CMDS
target/release/pipedrive-sim --deals ${deals} --token TOKEN --port-file PORTFILE &
/usr/bin/time -v ${bench_bin#"${repo}/"} --ignored --exact http_json_baseline --nocapture
/usr/bin/time -v ${bench_bin#"${repo}/"} --ignored --exact odbc_block_scan --nocapture
/usr/bin/time -v .venv/bin/python benches/full_scan/pyodbc_scan.py scan
${bench_bin#"${repo}/"} --ignored --exact odbc_first_row --nocapture
.venv/bin/python benches/full_scan/pyodbc_scan.py first_row
CMDS
)"
section="$(FULL_SCAN_COMMANDS="${commands}" python3 benches/full_scan/summarize.py "${work}" "${deals}" "${runs}")"
echo "${section}"
if [[ "${write_doc}" == 1 ]]; then
    python3 benches/full_scan/summarize.py --splice docs/benchmarks.md <<<"${section}"
    echo "wrote the Full scan section of docs/benchmarks.md" >&2
fi
