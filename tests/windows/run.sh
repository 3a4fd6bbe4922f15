#!/usr/bin/env bash
# The Windows build, exercised on Linux:
#   1. installs what it needs: the x86_64-pc-windows-gnu Rust target,
#      Debian's mingw-w64 (cross linker, objdump) and Wine;
#   2. cross-builds pipedrive_odbc.dll and tests/windows/driver-smoke (a
#      Windows program that loads the DLL with LoadLibraryW);
#   3. runs tests/windows_dll.rs with --include-ignored: the DLL's export
#      table against SQLGetFunctions' list, its imports against Windows'
#      system DLLs, and driver-smoke under Wine against the simulator;
#   4. imports driver-ini/pipedrive-odbc.reg.in into Wine's registry with
#      regedit and reads the driver's keys back.
# What was never run on real Windows is listed in docs/windows.md.
# Prints "N passed, N failed, N skipped" and exits non-zero on a failure.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "${repo_root}" || exit 1
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

readonly target=x86_64-pc-windows-gnu
# A target dir of its own: the Windows build never waits for, or
# invalidates, the Linux one.
readonly target_dir="${repo_root}/target/cross"
readonly dll="${target_dir}/${target}/release/pipedrive_odbc.dll"
readonly smoke="${target_dir}/${target}/release/driver-smoke.exe"
export WINEPREFIX="${target_dir}/wineprefix"
export WINEDEBUG=-all

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
}
finish() {
    printf '%d passed, %d failed, %d skipped\n' "${passed}" "${failed}" "${skipped}"
    ((failed == 0))
    exit $?
}

# 1. Tools ---------------------------------------------------------------------
ensure_cargo_on_path || {
    fail "cargo not found"
    finish
}
if ! rustup target list --installed 2>/dev/null | grep -qx "${target}"; then
    log "rustup target add ${target}"
    rustup target add "${target}" || {
        fail "rustup target add ${target}"
        finish
    }
fi
need_packages=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_packages+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1 || need_packages+=(binutils-mingw-w64-x86-64)
command -v wine >/dev/null 2>&1 || need_packages+=(wine wine64)
if ((${#need_packages[@]} > 0)); then
    (apt_install "${need_packages[@]}") || {
        fail "installing ${need_packages[*]}"
        finish
    }
fi
wine=$(command -v wine64 || command -v wine)
export WINE="${wine}"

# 2. Cross builds ----------------------------------------------------------------
log "cargo build --release --target ${target} --lib"
if cargo build --release --target "${target}" --target-dir "${target_dir}" --lib </dev/null; then
    pass "cross-build pipedrive_odbc.dll"
else
    fail "cross-build pipedrive_odbc.dll"
    finish
fi
log "building tests/windows/driver-smoke"
if cargo build --release --target "${target}" --target-dir "${target_dir}" \
    --manifest-path tests/windows/driver-smoke/Cargo.toml </dev/null; then
    pass "cross-build driver-smoke.exe"
else
    fail "cross-build driver-smoke.exe"
    finish
fi

# A Wine prefix is created on first use; doing it once here keeps that
# (tens of seconds) out of the tests' own time.
if [[ ! -d "${WINEPREFIX}/drive_c" ]]; then
    log "creating the Wine prefix ${WINEPREFIX}"
    "${wine}" wineboot --init </dev/null >/dev/null 2>&1 || true
fi

# Wine 8 lacks bcryptprimitives.dll, from which Rust's standard library
# takes random numbers (Windows 10 and later have it): a small stand-in built
# from tests/windows/wine-shim goes into the prefix, never into a release.
shim="${WINEPREFIX}/drive_c/windows/system32/bcryptprimitives.dll"
if [[ ! -f ${shim} ]]; then
    if x86_64-w64-mingw32-gcc -O2 -shared -o "${shim}" tests/windows/wine-shim/bcryptprimitives.c \
        tests/windows/wine-shim/bcryptprimitives.def -ladvapi32; then
        pass "build the Wine stand-in for bcryptprimitives.dll"
    else
        fail "build the Wine stand-in for bcryptprimitives.dll"
        finish
    fi
fi

# 3. The DLL's exports, imports, and a query under Wine --------------------------
log "cargo test --release --test windows_dll -- --include-ignored"
test_log="${target_dir}/windows_dll.log"
PIPEDRIVE_ODBC_WINDOWS_DLL="${dll}" PIPEDRIVE_ODBC_WINDOWS_SMOKE="${smoke}" \
    cargo test --release --test windows_dll -- --include-ignored </dev/null 2>&1 | tee "${test_log}"
read -r t_passed t_failed < <(
    sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed;.*/\1 \2/p' "${test_log}" |
        awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }'
)
passed=$((passed + t_passed))
failed=$((failed + t_failed))
if ((t_passed + t_failed == 0)); then
    fail "tests/windows_dll.rs did not run"
fi

# 4. The .reg template imports and names the DLL ---------------------------------
reg_file="${target_dir}/pipedrive-odbc.reg"
windows_dll_path='C:\Program Files\Pipedrive ODBC\pipedrive_odbc.dll'
render_template driver-ini/pipedrive-odbc.reg.in "${reg_file}" \
    DRIVER_PATH="${windows_dll_path//\\/\\\\}"
key='HKLM\SOFTWARE\ODBC\ODBCINST.INI\Pipedrive ODBC Driver'
if "${wine}" regedit /S "$(winepath -w "${reg_file}" 2>/dev/null || echo "${reg_file}")" </dev/null >/dev/null 2>&1 &&
    query=$("${wine}" reg query "${key}" </dev/null 2>/dev/null | tr -d '\r') &&
    grep -q "Driver[[:space:]]*REG_SZ[[:space:]]*${windows_dll_path//\\/\\\\}\$" <<<"${query}" &&
    grep -q "ConnectFunctions[[:space:]]*REG_SZ[[:space:]]*YYN" <<<"${query}" &&
    grep -q "UsageCount[[:space:]]*REG_DWORD[[:space:]]*0x1" <<<"${query}" &&
    "${wine}" reg query 'HKLM\SOFTWARE\ODBC\ODBCINST.INI\ODBC Drivers' /v 'Pipedrive ODBC Driver' </dev/null 2>/dev/null |
    tr -d '\r' | grep -q 'Installed'; then
    pass "driver-ini/pipedrive-odbc.reg.in imports into the registry"
else
    fail "driver-ini/pipedrive-odbc.reg.in imports into the registry"
    printf '%s\n' "${query:-}"
fi

finish
