#!/usr/bin/env bash
# Writes the seed corpus of the `api_page` fuzz target: real answers of the
# simulator (target/release/pipedrive-sim) for every list endpoint the
# driver's tables read (from docs/tables.md) plus a few child and view
# endpoints and error answers, three records per page, one file each in
# fuzz/corpus/api_page/seed-<name>.json.
#
# Usage: fuzz/seed_api_pages.sh   (builds the simulator if it is missing)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="${root}/fuzz/corpus/api_page"
sim="${root}/target/release/pipedrive-sim"
token=demo-token

if [[ ! -x "${sim}" ]]; then
    (cd "${root}" && cargo build --release -p pipedrive-sim)
fi
command -v curl >/dev/null 2>&1 || { echo "error: curl is needed" >&2; exit 1; }

work=$(mktemp -d)
sim_pid=
cleanup() {
    if [[ -n "${sim_pid}" ]]; then
        kill "${sim_pid}" 2>/dev/null || true
        wait "${sim_pid}" 2>/dev/null || true
    fi
    rm -rf "${work}"
}
trap cleanup EXIT

"${sim}" --port 0 --port-file "${work}/port" --deals 40 2>"${work}/sim.log" &
sim_pid=$!
for _ in $(seq 100); do
    [[ -s "${work}/port" ]] && break
    kill -0 "${sim_pid}" 2>/dev/null || { cat "${work}/sim.log" >&2; exit 1; }
    sleep 0.1
done
[[ -s "${work}/port" ]] || { echo "error: the simulator did not start" >&2; exit 1; }
base="http://127.0.0.1:$(cat "${work}/port")"

mkdir -p "${out}"
rm -f "${out}"/seed-*

paths=$(grep -o 'GET /api/[^`]*' "${root}/docs/tables.md" | sed 's/^GET //' | sort -u)
paths+="
/api/v2/deals/1/followers
/api/v1/deals/1/participants
/api/v2/deals/1/products
/api/v1/deals/timeline?start_date=2025-01-01&interval=month&amount=3&field_key=add_time
/api/v2/deals/1
/api/v2/deals?limit=not-a-number
/api/v2/no-such-endpoint"

count=0
while read -r path; do
    [[ -n "${path}" ]] || continue
    separator='?'
    [[ "${path}" == *'?'* ]] && separator='&'
    url="${base}${path}${separator}limit=3"
    name=$(printf '%s' "${path#/api/}" | tr -c 'A-Za-z0-9' '_')
    curl -s -H "x-api-token: ${token}" "${url}" >"${out}/seed-${name}.json"
    count=$((count + 1))
done <<<"${paths}"
# An answer to a request without the token: Pipedrive's 401 body.
curl -s "${base}/api/v2/deals" >"${out}/seed-unauthorized.json"
count=$((count + 1))
echo "${count} API answers in fuzz/corpus/api_page"
