#!/usr/bin/env bash
# Runs every test of the project, on a fresh Debian 12 machine as root (or a
# user with sudo):
#   1. unixODBC (driver manager, odbcinst, isql/iusql, libodbc.so for linking)
#   2. .venv with pyodbc and pytest (tests/python/requirements.txt)
#   3. cargo build --release --workspace
#   4. cargo test --release --workspace       (Rust unit + integration tests)
#   5. pytest tests/python -q                 (pyodbc through unixODBC)
#   6. tests/isql/run.sh                      (isql / iusql)
#   7. tests/windows/run.sh                   (the Windows DLL, cross-built,
#                                              driven under Wine)
#   8. tests/valgrind/run.sh                  (integration suites under
#                                              valgrind memcheck)
#   9. tests/iodbc/run.sh                     (the iodbc build under iODBC's
#                                              iodbctest and iodbctestw)
# Ends with one line "N passed, N failed, N skipped" summed over the suites,
# and exits non-zero if anything failed. Every step is time-bounded so the
# whole run fits in CI's 90 minutes on 2 cores.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${repo_root}" || exit 1
# shellcheck source-path=SCRIPTDIR/..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

# Overall budget, below CI's 90 minutes, and each step's own cap (seconds).
readonly TOTAL_BUDGET_SECONDS=$((85 * 60))
readonly BUILD_CAP_SECONDS=$((40 * 60))
readonly CARGO_TEST_CAP_SECONDS=$((25 * 60))
readonly PYTEST_CAP_SECONDS=$((20 * 60))
readonly ISQL_CAP_SECONDS=$((5 * 60))
readonly WINDOWS_CAP_SECONDS=$((25 * 60))
readonly VALGRIND_CAP_SECONDS=$((20 * 60))
readonly IODBC_CAP_SECONDS=$((20 * 60))
readonly RESERVE_SECONDS=60

log_dir="${repo_root}/target/test-logs"
mkdir -p "${log_dir}"
venv="${repo_root}/.venv"

total_passed=0
total_failed=0
total_skipped=0
suite_lines=()

# record SUITE PASSED FAILED SKIPPED [NOTE]
record() {
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    total_skipped=$((total_skipped + $4))
    suite_lines+=("$(printf '%-12s %5d passed, %5d failed, %5d skipped%s' "$1" "$2" "$3" "$4" "${5:+  ($5)}")")
}

# Seconds a step may take: its cap, or what is left of the budget.
step_timeout() {
    local cap=$1 left=$((TOTAL_BUDGET_SECONDS - SECONDS - RESERVE_SECONDS))
    if ((left < 30)); then left=30; fi
    if ((cap < left)); then echo "${cap}"; else echo "${left}"; fi
}

finish() {
    echo
    echo "==== summary ===="
    local line
    for line in "${suite_lines[@]}"; do
        echo "${line}"
    done
    echo "total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
    printf '%d passed, %d failed, %d skipped\n' "${total_passed}" "${total_failed}" "${total_skipped}"
    if ((total_failed > 0)); then
        exit 1
    fi
    exit 0
}

# 1. unixODBC -----------------------------------------------------------------
log "checking unixODBC"
(ensure_unixodbc) || {
    record setup 0 1 0 "unixODBC could not be installed"
    finish
}

# tests/tls.rs makes its certificates with the openssl command.
if ! command -v openssl >/dev/null 2>&1; then
    (apt_install openssl) || {
        record setup 0 1 0 "openssl (for the TLS tests' certificates) could not be installed"
        finish
    }
fi

# 2. Python venv with pyodbc and pytest ---------------------------------------
ensure_python_venv() {
    if [[ -x "${venv}/bin/python" ]] && "${venv}/bin/python" -c 'import pyodbc, pytest' 2>/dev/null; then
        return 0
    fi
    local python
    python=$(command -v python3 || true)
    if [[ -z ${python} ]]; then
        apt_install python3 python3-venv
        python=/usr/bin/python3
    fi
    # Debian's python3 needs python3-venv (ensurepip) for this.
    if ! "${python}" -m venv --clear "${venv}" >/dev/null 2>&1; then
        apt_install python3-venv
        python=/usr/bin/python3
        "${python}" -m venv --clear "${venv}" || return 1
    fi
    log "installing pyodbc and pytest into ${venv}"
    "${venv}/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -r "${repo_root}/tests/python/requirements.txt" </dev/null
}
log "checking the Python test environment (.venv)"
python_ready=yes
(ensure_python_venv) || {
    python_ready=no
    record setup 0 1 0 "could not create .venv with pyodbc and pytest"
}

# 3. Build --------------------------------------------------------------------
ensure_cargo_on_path || {
    record build 0 1 0 "cargo not found"
    finish
}
log "cargo build --release --workspace"
build_status=0
timeout --kill-after=30 "$(step_timeout "${BUILD_CAP_SECONDS}")" \
    cargo build --release --workspace </dev/null || build_status=$?
if [[ ${build_status} -ne 0 ]]; then
    record build 0 1 0 "cargo build failed with status ${build_status}"
    finish
fi

# 4. Rust tests ---------------------------------------------------------------
log "cargo test --release --workspace"
cargo_log="${log_dir}/cargo-test.log"
timeout --kill-after=30 "$(step_timeout "${CARGO_TEST_CAP_SECONDS}")" \
    cargo test --release --workspace --no-fail-fast </dev/null 2>&1 | tee "${cargo_log}"
cargo_status=${PIPESTATUS[0]}
# One "test result: ok. 5 passed; 0 failed; 1 ignored; ..." line per test binary.
read -r cargo_passed cargo_failed cargo_ignored < <(
    sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored;.*/\1 \2 \3/p' \
        "${cargo_log}" |
        awk '{ p += $1; f += $2; i += $3 } END { print p + 0, f + 0, i + 0 }'
)
cargo_note=""
if [[ ${cargo_status} -ne 0 && ${cargo_failed} -eq 0 ]]; then
    # Did not compile, a test binary crashed, or the time ran out.
    cargo_failed=1
    cargo_note="cargo test exited with status ${cargo_status}; see ${cargo_log}"
fi
record "cargo test" "${cargo_passed}" "${cargo_failed}" "${cargo_ignored}" "${cargo_note}"

# 5. pytest -------------------------------------------------------------------
if [[ ${python_ready} == yes ]]; then
    log "pytest tests/python -q"
    junit="${log_dir}/pytest.xml"
    rm -f "${junit}"
    pytest_status=0
    timeout --kill-after=30 "$(step_timeout "${PYTEST_CAP_SECONDS}")" \
        "${venv}/bin/python" -m pytest tests/python -q --junitxml="${junit}" </dev/null ||
        pytest_status=$?
    read -r py_passed py_failed py_skipped < <(
        "${venv}/bin/python" - "${junit}" <<'EOF' 2>/dev/null || echo "0 0 0"
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failures = errors = skipped = 0
for suite in suites:
    tests += int(suite.get("tests", 0))
    failures += int(suite.get("failures", 0))
    errors += int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
print(tests - failures - errors - skipped, failures + errors, skipped)
EOF
    )
    pytest_note=""
    # Exit 5 (no tests collected) and crashes are failures too.
    if [[ ${pytest_status} -ne 0 && ${py_failed} -eq 0 ]]; then
        py_failed=1
        pytest_note="pytest exited with status ${pytest_status}"
    fi
    record pytest "${py_passed}" "${py_failed}" "${py_skipped}" "${pytest_note}"
fi

# run_script_suite NAME CAP_SECONDS SCRIPT: runs a suite script that ends
# with "N passed, N failed[, N skipped]" and records its counts; a script
# that fails without counting a failure (crash, timeout) counts as one.
run_script_suite() {
    local name=$1 cap=$2 script=$3 suite_log status counts passed failed skipped note=""
    log "${script}"
    suite_log="${log_dir}/${name}.log"
    timeout --kill-after=30 "$(step_timeout "${cap}")" \
        bash "${script}" </dev/null 2>&1 | tee "${suite_log}"
    status=${PIPESTATUS[0]}
    counts=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p' \
        "${suite_log}" | tail -n 1)
    read -r passed failed skipped <<<"${counts:-0 0 0}"
    skipped=${skipped:-0}
    if [[ ${status} -ne 0 && ${failed} -eq 0 ]]; then
        failed=1
        note="${script} exited with status ${status}"
    fi
    record "${name}" "${passed}" "${failed}" "${skipped}" "${note}"
}

# 6. isql / iusql -------------------------------------------------------------
isql_python=python3
if [[ ${python_ready} == yes ]]; then
    isql_python="${venv}/bin/python"
fi
export PYTHON="${isql_python}"
run_script_suite isql "${ISQL_CAP_SECONDS}" tests/isql/run.sh

# 7. Windows DLL under Wine ---------------------------------------------------
run_script_suite windows "${WINDOWS_CAP_SECONDS}" tests/windows/run.sh

# 8. valgrind memcheck --------------------------------------------------------
run_script_suite valgrind "${VALGRIND_CAP_SECONDS}" tests/valgrind/run.sh

# 9. iODBC --------------------------------------------------------------------
run_script_suite iodbc "${IODBC_CAP_SECONDS}" tests/iodbc/run.sh

finish
