#!/usr/bin/env python3
"""Summarises bench/run.sh's orderload results: one Markdown table row per
scenario (median of the runs, with min and max), the HTTP ceiling ratio, and
the data for the latency-vs-throughput plot. With --doc, replaces the
"## Load generator scenarios" section of that file (or appends it) and
leaves every other section alone; without, prints the section."""

import argparse
import datetime
import glob
import json
import os
import re
import statistics
import sys

SECTION = "## Load generator scenarios"


def load_runs(results, name):
    runs = []
    for path in sorted(glob.glob(os.path.join(results, f"{name}.*.json"))):
        with open(path) as f:
            runs.append(json.load(f))
    return runs


def spread(values):
    return statistics.median(values), min(values), max(values)


def rate_cell(values):
    median, low, high = spread(values)
    return f"{median:,.0f} ({low:,.0f}–{high:,.0f})"


def ms_cell(values_us):
    median, low, high = spread([v / 1000 for v in values_us])
    digits = 2 if high < 10 else 1
    return f"{median:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def latency(runs, key, percentile):
    return [r[key][percentile] for r in runs]


def row(description, runs):
    open_loop = runs[0]["config"]["mode"] == "open"
    offered = f"{runs[0]['offered_rate']:,.0f}" if open_loop else "–"
    errors = sum(r["errors"]["total"] for r in runs)
    unsent = sum(r["requests"]["unsent"] for r in runs)
    error_text = f"{errors:,}" + (f" ({unsent:,} unsent)" if unsent else "")
    uncorrected = ms_cell(latency(runs, "latency_uncorrected_us", "p99")) if open_loop else "="
    cpu = statistics.median(r["cpu"]["cores_used"] for r in runs)
    return (f"| {description} | {offered} | {rate_cell([r['achieved_rate'] for r in runs])} | "
            f"{ms_cell(latency(runs, 'latency_us', 'p50'))} | "
            f"{ms_cell(latency(runs, 'latency_us', 'p99'))} | "
            f"{ms_cell(latency(runs, 'latency_us', 'p99.9'))} | {uncorrected} | {error_text} | "
            f"{cpu:.2f} |")


def section(args, scenarios, results):
    repeats = min(len(results[name]) for name, _ in scenarios)
    lines = [
        SECTION,
        "",
        f"Written by `bench/run.sh` on {datetime.date.today().isoformat()} "
        "(orderload is described in [orderload.md](orderload.md)).",
        f"Machine: {args.machine}.",
        f"Settings: {args.settings}.",
        "",
        f"Each figure is the median of {repeats} runs, with the lowest and highest in brackets. "
        "Latencies are in milliseconds from each request's intended send time, so they are "
        "corrected for coordinated omission; *uncorr. p99* is the p99 from the actual send, for "
        "the open-loop runs (in closed loop the two are the same: =). *orderload CPU* is the load "
        "generator's own CPU time over the run, in cores, on the same machine as the server: in "
        "open loop every request waits for its own due time, a timer wake-up that closed loop "
        "does not pay, so at equal rates the open loop leaves the server less CPU. A run that "
        "fell behind its schedule still sends the late requests after its end (for up to "
        "the request timeout) and counts them; any it could not send are listed as unsent.",
        "",
        "| scenario | offered req/s | achieved req/s | p50 | p99 | p99.9 | uncorr. p99 | errors "
        "| orderload CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, description in scenarios:
        lines.append(row(description, results[name]))
    lines.append("")
    # nginx writes nothing to disk: it is compared with orderd acknowledging
    # without waiting for fsync when that was measured.
    ceiling = "max-nosync" if "max-nosync" in results else "max"
    if ceiling in results and "nginx" in results:
        orderd_rate = statistics.median(r["achieved_rate"] for r in results[ceiling])
        nginx_rate = statistics.median(r["achieved_rate"] for r in results["nginx"])
        policy = " with --fsync never" if ceiling == "max-nosync" else ""
        lines.append(
            f"**HTTP ceiling:** under the same orderload settings, orderd's closed-loop create "
            f"throughput{policy} is {100 * orderd_rate / nginx_rate:.0f}% of nginx returning a "
            f"fixed JSON body ({orderd_rate:,.0f} against {nginx_rate:,.0f} req/s, medians; the "
            "runs alternate between the servers).")
        lines.append("")
    if args.note:
        lines.append(args.note)
        lines.append("")
    lines.append("![Latency against throughput, open loop](orderload-latency.png)")
    lines.append("")
    lines.append("The plot shows the open-loop runs: corrected p50, p99 and p99.9 (medians, bars "
                 "from the lowest to the highest run) and the uncorrected p99, against the "
                 "throughput achieved.")
    return "\n".join(lines) + "\n"


def write_plot_data(path, scenarios, results):
    """One line per open-loop scenario, in the order they were offered (so the
    line bends back where the server saturated), labelled with the offered
    load as a percentage of the closed-loop maximum."""
    max_rate = statistics.median(r["achieved_rate"] for r in results["max"]) \
        if "max" in results else None
    lines = []
    for name, _ in scenarios:
        runs = results[name]
        if runs[0]["config"]["mode"] != "open":
            continue
        offered = runs[0]["offered_rate"]
        fields = [statistics.median(r["achieved_rate"] for r in runs)]
        for key, percentile in (("latency_us", "p50"), ("latency_us", "p99"),
                                ("latency_us", "p99.9"), ("latency_uncorrected_us", "p99")):
            fields.extend(v / 1000 for v in spread(latency(runs, key, percentile)))
        label = f"{100 * offered / max_rate:.0f}%" if max_rate else f"{offered:.0f}/s"
        lines.append((offered, " ".join(f"{v:.4f}" for v in fields) + f" {label}"))
    with open(path, "w") as f:
        f.write("# rate p50 p50_min p50_max p99 p99_min p99_max p999 p999_min p999_max "
                "unc_p99 unc_p99_min unc_p99_max (ms), label: offered as % of max\n")
        for _, line in sorted(lines):
            f.write(line + "\n")


def replace_section(doc_path, text):
    try:
        with open(doc_path) as f:
            content = f.read()
    except FileNotFoundError:
        content = "# Performance\n"
    # The section runs from its heading to the next level-2 heading or the end.
    pattern = re.compile(r"^## Load generator scenarios\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(content):
        content = pattern.sub(lambda _: text + "\n", content, count=1)
        content = content.rstrip("\n") + "\n"
    else:
        content = content.rstrip("\n") + "\n\n" + text
    with open(doc_path, "w") as f:
        f.write(content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--scenarios", required=True, help="TSV: name, description, flags")
    parser.add_argument("--settings", required=True)
    parser.add_argument("--machine", required=True)
    parser.add_argument("--note", default="")
    parser.add_argument("--plot-data")
    parser.add_argument("--doc")
    args = parser.parse_args()

    scenarios = []
    with open(args.scenarios) as f:
        for line in f:
            name, description, _flags = line.rstrip("\n").split("\t")
            scenarios.append((name, description))
    results = {name: load_runs(args.results, name) for name, _ in scenarios}
    missing = [name for name, runs in results.items() if not runs]
    if missing:
        sys.exit(f"no results for: {', '.join(missing)}")

    text = section(args, scenarios, results)
    if args.plot_data:
        write_plot_data(args.plot_data, scenarios, results)
    if args.doc:
        replace_section(args.doc, text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
