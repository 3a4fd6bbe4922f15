#!/usr/bin/env bash
# Undoes installer/install.sh: stops the demo simulator, removes the demo DSN,
# the driver registration and the installed files.
#
#   installer/uninstall.sh [--prefix DIR]
#
# The prefix and scope default to what install.sh recorded in its state
# directory, else to install.sh's defaults (/usr/local as root, ~/.local).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/..
# shellcheck source=installer/common.sh
source "${repo_root}/installer/common.sh"

usage() {
    echo "Usage: installer/uninstall.sh [--prefix DIR]"
}

prefix=""
while [[ $# -gt 0 ]]; do
    case $1 in
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

state_dir=$(installer_state_dir)
INSTALLED_PREFIX=""
INSTALLED_SCOPE=""
if [[ -f "${state_dir}/install.env" ]]; then
    # Written by install.sh with printf %q.
    # shellcheck source=/dev/null
    source "${state_dir}/install.env"
fi
if [[ ${EUID} -eq 0 ]]; then
    scope=${INSTALLED_SCOPE:-system}
    prefix=${prefix:-${INSTALLED_PREFIX:-/usr/local}}
else
    scope=${INSTALLED_SCOPE:-user}
    prefix=${prefix:-${INSTALLED_PREFIX:-${HOME}/.local}}
fi
lib_dir="${prefix}/lib/pipedrive-odbc"
driver_path="${lib_dir}/libpipedrive_odbc.so"

# 1. The demo simulator.
stop_pipedrive_sim "${state_dir}/sim.pid"

if command -v odbcinst >/dev/null 2>&1; then
    # 2. The demo DSN, where install.sh put it.
    if [[ ${scope} == system ]]; then dsn_flag=-l; else dsn_flag=-h; fi
    if odbcinst -q -s -n "${PIPEDRIVE_DEMO_DSN}" >/dev/null 2>&1; then
        log "removing the DSN ${PIPEDRIVE_DEMO_DSN}"
        odbcinst -u -s "${dsn_flag}" -n "${PIPEDRIVE_DEMO_DSN}" >/dev/null ||
            warn "odbcinst could not remove the DSN ${PIPEDRIVE_DEMO_DSN}"
    fi

    # 3. The driver registration. odbcinst -u takes one step off UsageCount;
    # repeat while it still points at the library we are about to delete (a
    # dangling registration only breaks connections). A registration of the
    # same name pointing elsewhere is not ours: leave it.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        registered=$(odbcinst_for_drivers "${scope}" -q -d -n "${PIPEDRIVE_DRIVER_NAME}" 2>/dev/null |
            sed -n 's/^Driver=//p' | head -n 1) || true
        [[ -n ${registered} ]] || break
        if [[ ${registered} != "${driver_path}" ]]; then
            warn "\"${PIPEDRIVE_DRIVER_NAME}\" is registered for ${registered}, not ${driver_path}: left as it is"
            break
        fi
        log "removing the driver registration \"${PIPEDRIVE_DRIVER_NAME}\" (${scope})"
        odbcinst_for_drivers "${scope}" -u -d -n "${PIPEDRIVE_DRIVER_NAME}" >/dev/null || {
            warn "odbcinst could not remove the driver registration"
            break
        }
    done
else
    warn "odbcinst not found: skipping the DSN and driver registration"
fi

# 4. Files.
if [[ -d ${lib_dir} ]]; then
    log "removing ${lib_dir}"
    rm -rf -- "${lib_dir}"
fi
for program in pipedrive-sim pipedrive-odbc-auth; do
    if [[ -f "${prefix}/bin/${program}" ]]; then
        log "removing ${prefix}/bin/${program}"
        rm -f -- "${prefix}/bin/${program}"
    fi
done
if [[ -d ${state_dir} ]]; then
    rm -f -- "${state_dir}/install.env" "${state_dir}/sim.port" "${state_dir}/sim.log"
    rmdir -- "${state_dir}" 2>/dev/null || true
fi
log "uninstalled"
