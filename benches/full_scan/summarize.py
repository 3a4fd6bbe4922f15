"""Summarises a run.sh work directory into the "Full scan" section of
docs/benchmarks.md (medians over runs), or splices such a section into the
document.

    summarize.py WORKDIR DEALS RUNS          print the section
    summarize.py --splice DOC < SECTION      replace/append it in DOC
"""

import datetime
import json
import os
import platform
import re
import statistics
import sys

HEADING = "## Full scan"
RSS_TARGET_MIB = 64
CPU_RATIO_TARGET = 1.5


def parse_time(path):
    """user+sys seconds, peak RSS (KiB) and wall seconds from /usr/bin/time -v."""
    text = open(path).read()

    def field(label):
        m = re.search(re.escape(label) + r"\s*(.+)", text)
        if not m:
            raise SystemExit(f"{path}: no '{label}'")
        return m.group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    status = field("Exit status:")
    if status != "0":
        raise SystemExit(f"{path}: the client exited with status {status}")
    return {
        "cpu": float(field("User time (seconds):")) + float(field("System time (seconds):")),
        "rss_kib": int(field("Maximum resident set size (kbytes):")),
        "wall": seconds,
    }


def parse_result(path):
    # libtest prints "test <name> ... " before the client's own output.
    for line in open(path):
        at = line.find("RESULT {")
        if at >= 0:
            return json.loads(line[at + len("RESULT "):])
    raise SystemExit(f"{path}: no RESULT line")


def runs_of(work, name, runs):
    out = []
    for run in range(1, runs + 1):
        record = parse_result(os.path.join(work, f"{name}.{run}.out"))
        record.update(parse_time(os.path.join(work, f"{name}.{run}.time")))
        out.append(record)
    return out


def median(records, key):
    values = [r[key] for r in records if r.get(key) is not None]
    return statistics.median(values) if values else None


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def section(work, deals, runs):
    scans = {
        "http": ("bare HTTP+JSON baseline (reqwest + serde_json)", runs_of(work, "http", runs)),
        "odbc": ("driver via unixODBC, odbc-api block cursor (1000 rows)", runs_of(work, "odbc", runs)),
        "pyodbc": ("driver via unixODBC, pyodbc fetchmany(1000)", runs_of(work, "pyodbc", runs)),
    }
    first = {
        "odbc": runs_of(work, "odbc_first_row", runs),
        "pyodbc": runs_of(work, "pyodbc_first_row", runs),
    }
    summary = {}
    for key, (_, records) in scans.items():
        rows = median(records, "rows")
        cpu = median(records, "cpu")
        summary[key] = {
            "rows": rows,
            "scan": median(records, "scan_seconds"),
            "rows_per_s": median([{"v": r["rows"] / r["scan_seconds"]} for r in records], "v"),
            "cpu": cpu,
            "cpu_us_per_row": median([{"v": r["cpu"] / r["rows"] * 1e6} for r in records], "v"),
            "rss_mib": median(records, "rss_kib") / 1024,
            "first_ms": median(records, "first_batch_ms") if key != "http" else median(records, "first_row_ms"),
            "columns": median(records, "columns"),
            "buffer_bytes": median(records, "buffer_bytes"),
        }
    base = summary["http"]["cpu_us_per_row"]
    lines = [HEADING, ""]
    lines.append(
        f"Measured by `benches/full_scan/run.sh` on {datetime.date.today().isoformat()}: "
        f"{deals:,} deals in `pipedrive-sim` (a separate process, not measured), "
        f"`SELECT * FROM Deals` ({summary['odbc']['columns']} columns, custom fields included); "
        f"medians of {runs} runs. Machine: {os.cpu_count()} cores ({cpu_model()}), "
        "shared with other work while measuring, so wall-clock figures are noisy; "
        "CPU time per row is the steadier figure. CPU time and peak RSS are the client "
        "process's (`/usr/bin/time -v`: user + sys, maximum resident set size): for the "
        "ODBC clients that is the application, unixODBC and the driver together."
    )
    lines.append("")
    lines.append("| Client | Rows | Scan s | Rows/s | CPU s | CPU µs/row | CPU vs baseline | Peak RSS MiB | First batch ms |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, (label, _) in scans.items():
        s = summary[key]
        ratio = s["cpu_us_per_row"] / base if base else float("nan")
        first_ms = "—" if s["first_ms"] is None else f"{s['first_ms']:.0f}"
        lines.append(
            f"| {label} | {s['rows']:,.0f} | {s['scan']:.1f} | {s['rows_per_s']:,.0f} | {s['cpu']:.1f} | "
            f"{s['cpu_us_per_row']:.2f} | {ratio:.2f}x | {s['rss_mib']:.1f} | {first_ms} |"
        )
    lines.append("")
    lines.append(
        "First batch: from `SQLExecDirect` to the first block of 1000 rows (two pages of 500); "
        "for the baseline, to the first parsed record. The odbc-api client binds "
        f"{summary['odbc']['buffer_bytes'] / 2**20:.1f} MiB of column buffers for its 1000-row "
        "block (text capped at 512 UTF-16 units per cell); that memory is in its RSS."
    )
    lines.append("")
    lines.append("Time to first row (one row fetched, then the simulator's counters read):")
    lines.append("")
    lines.append("| Client | First row ms | List pages served before the first row |")
    lines.append("|---|---:|---:|")
    for key, records in first.items():
        pages = sorted({r["pages_before_first_row"] for r in records})
        lines.append(
            f"| {key} | {median(records, 'first_row_ms'):.0f} | {', '.join(map(str, pages))} |"
        )
    lines.append("")
    ratio = summary["odbc"]["cpu_us_per_row"] / base if base else float("nan")
    rss = summary["odbc"]["rss_mib"]
    pages = max(r["pages_before_first_row"] for r in first["odbc"] + first["pyodbc"])
    verdict = lambda ok: "met" if ok else "**missed**"
    lines.append("Targets (issue 4):")
    lines.append("")
    lines.append(
        f"- Driver CPU per row within {CPU_RATIO_TARGET}x of the bare HTTP+JSON loop: "
        f"{ratio:.2f}x ({summary['odbc']['cpu_us_per_row']:.2f} vs {base:.2f} µs/row): {verdict(ratio <= CPU_RATIO_TARGET)}."
    )
    lines.append(
        f"- Peak RSS of a full scan under {RSS_TARGET_MIB} MiB: {rss:.1f} MiB (odbc-api client), "
        f"{summary['pyodbc']['rss_mib']:.1f} MiB (pyodbc): {verdict(rss < RSS_TARGET_MIB)}."
    )
    lines.append(f"- First row after one page: {pages} page(s): {verdict(pages == 1)}.")
    lines.append("")
    per_run = ", ".join(
        f"{key} " + "/".join(f"{r['cpu'] / r['rows'] * 1e6:.2f}" for r in records)
        for key, (_, records) in scans.items()
    )
    lines.append(f"CPU µs/row of each run: {per_run}.")
    notes = os.path.join(os.path.dirname(__file__), "notes.md")
    if os.path.exists(notes):
        lines.append("")
        lines.append(open(notes).read().strip())
    lines.append("")
    lines.append("Commands (`run.sh` does all of this and rewrites this section):")
    lines.append("")
    lines.append("```sh")
    lines.append("benches/full_scan/run.sh            # --deals N --runs N --no-doc")
    lines.append(os.environ.get("FULL_SCAN_COMMANDS", "").strip())
    lines.append("```")
    return "\n".join(lines) + "\n"


def splice(doc):
    new = sys.stdin.read().strip() + "\n"
    text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n"
    start = text.find(HEADING + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + new
    else:
        end = text.find("\n## ", start + len(HEADING))
        rest = "" if end < 0 else text[end + 1:]
        text = text[:start] + new + ("\n" + rest if rest else "")
    open(doc, "w").write(text)


if __name__ == "__main__":
    if sys.argv[1] == "--splice":
        splice(sys.argv[2])
    else:
        print(section(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])), end="")
