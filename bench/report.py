#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Report of `make bench`: reads the guest's output (bench/guest.sh), prints
the table of medians and ratios to EEVDF with the A/A band and the
schedulers' overheads, and writes results.json and an SVG bar chart.

    bench/report.py [--mode TEXT] [--json FILE] [--svg FILE] GUEST_LOG

Ratios are paired: for every round, the scheduler's value divided by EEVDF's
value of the same round; the table shows the median of those ratios. The A/A
band is the min-max of EEVDF-bis/EEVDF over the rounds: how far EEVDF differs
from itself. A ratio outside the band is marked with '*'. Every metric is
"lower is better", so a ratio below 1 means better than EEVDF.
Standard library only.
"""
import argparse
import json
import statistics
import sys
from xml.sax.saxutils import escape

BASE, AA = "EEVDF", "EEVDF-bis"

# test -> (label, unit); the order of the table and the chart.
TESTS = [
    ("hackbench-sockets", "hackbench sockets", "s"),
    ("hackbench-pipes", "hackbench pipes", "s"),
    ("pingpong", "pipe ping-pong", "us/round trip"),
    ("wakeup-p50", "wake-up lateness p50", "us"),
    ("wakeup-p99", "wake-up lateness p99", "us"),
    ("stress", "stress-ng mix CPU (higher=better)", "CPU s"),
]


def parse(path):
    """The @bench lines of the log: a list of (kind, {key: value})."""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("@bench "):
                continue
            words = line.split()[1:]
            if not words:
                continue
            kv = {}
            for w in words[1:]:
                if "=" in w:
                    k, v = w.split("=", 1)
                    kv[k] = v
            out.append((words[0], kv))
    return out


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(v, digits=3):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:.1f}"
    if abs(v) >= 10:
        return f"{v:.2f}"
    return f"{v:.{digits}f}"


def analyse(records):
    meta = {}
    values = {}  # test -> sched -> round -> value
    cpu = {}  # sched -> list of (cpu_ms, dispatches)
    overhead, by_call, idle, latency, stats, errors = {}, {}, {}, {}, [], []
    counts = {}  # sched -> test -> summed library counters
    done = None
    for kind, kv in records:
        if kind == "meta":
            meta = kv
        elif kind == "result":
            v = num(kv.get("value"))
            if v is not None:
                values.setdefault(kv["test"], {}).setdefault(kv["sched"], {})[int(kv["round"])] = v
        elif kind == "cpu":
            cpu.setdefault(kv["sched"], []).append(
                {"test": kv["test"], "round": int(kv["round"]), "cpu_ms": int(kv["cpu_ms"]),
                 "run_us": int(kv.get("run_us", -1)), "dispatches": int(kv["dispatches"])})
        elif kind == "overhead":
            overhead[kv["sched"]] = {k: int(kv.get(k, -1)) for k in
                                     ("syscalls", "dispatches", "cpu_ms", "run_us")}
        elif kind == "syscalls":
            by_call[kv["sched"]] = {k: int(v) for k, v in kv.items() if k != "sched"}
        elif kind == "idle":
            idle[kv["sched"]] = {"secs": float(kv["secs"]), "cpu_ms": int(kv["cpu_ms"]),
                                 "run_us": int(kv.get("run_us", -1))}
        elif kind == "latency":
            entry = latency.setdefault(kv["sched"], {})
            if "hist" in kv:
                entry[kv["hist"]] = {k: num(v) for k, v in kv.items() if k not in ("sched", "hist")}
            else:
                entry["counts"] = {k: int(v) for k, v in kv.items() if k != "sched"}
        elif kind == "sched_stats":
            stats.append(kv)
        elif kind == "counts":
            c = counts.setdefault(kv["sched"], {}).setdefault(
                kv["test"], {"user": 0, "kernel": 0, "failsafe": 0, "congested": 0, "runs": 0})
            for k in ("user", "kernel", "failsafe", "congested"):
                c[k] += int(kv.get(k) or 0)
            c["runs"] += 1
        elif kind == "error":
            errors.append(kv)
        elif kind == "end":
            done = kv

    scheds = meta.get("scheds", "").split(",") if meta.get("scheds") else []
    for t in values.values():
        for s in t:
            if s not in scheds:
                scheds.append(s)
    # EEVDF, EEVDF-bis, then the others in run order.
    scheds = [s for s in (BASE, AA) if s in scheds] + [s for s in scheds if s not in (BASE, AA)]

    summary = {}
    for test, _, unit in TESTS:
        per = values.get(test, {})
        base = per.get(BASE, {})
        row = {"unit": unit, "scheds": {}}
        for s in scheds:
            vals = per.get(s, {})
            ratios = [vals[r] / base[r] for r in sorted(vals) if r in base and base[r] > 0]
            row["scheds"][s] = {
                "values": [vals[r] for r in sorted(vals)],
                "median": median(list(vals.values())),
                "min": min(vals.values()) if vals else None,
                "max": max(vals.values()) if vals else None,
                "ratios": ratios,
                "ratio_median": median(ratios) if s != BASE else None,
            }
        aa = row["scheds"].get(AA, {}).get("ratios", [])
        row["aa_band"] = [min(aa), max(aa)] if aa else None
        summary[test] = row

    overheads = {}
    for s in scheds + [x for x in overhead if x not in scheds]:
        if s.startswith(BASE):
            continue
        o = {}
        runs = cpu.get(s, [])
        per_k = [r["cpu_ms"] * 1000 / r["dispatches"] for r in runs if r["dispatches"] > 0]
        per_k_run = [r["run_us"] / r["dispatches"] for r in runs
                     if r["dispatches"] > 0 and r["run_us"] >= 0]
        if per_k:
            o["cpu_ms_per_1000_tasks"] = median(per_k)
            o["cpu_ms_per_1000_tasks_range"] = [min(per_k), max(per_k)]
            o["cpu_runs"] = runs
        if per_k_run:
            o["run_ms_per_1000_tasks"] = median(per_k_run)
            o["run_ms_per_1000_tasks_range"] = [min(per_k_run), max(per_k_run)]
        if s in overhead:
            ov = overhead[s]
            o["traced_run"] = ov
            o["syscalls_per_task"] = ov["syscalls"] / ov["dispatches"] if ov["dispatches"] else None
            o["cpu_ms_per_1000_tasks_traced"] = (
                ov["cpu_ms"] * 1000 / ov["dispatches"] if ov["dispatches"] else None)
        if s in by_call:
            o["syscalls_by_call"] = by_call[s]
        if s in idle:
            i = idle[s]
            o["idle"] = dict(i, percent=i["cpu_ms"] / (i["secs"] * 10),
                             percent_schedstat=(i["run_us"] / (i["secs"] * 1e4)
                                                if i["run_us"] >= 0 else None))
        if s in latency:
            o["latency"] = latency[s]
        if o:
            overheads[s] = o

    return {"meta": meta, "scheds": scheds, "summary": summary, "overheads": overheads,
            "sched_stats": stats, "counts": counts, "errors": errors, "done": done, "raw": values}


def print_report(res, mode, out=sys.stdout):
    meta = res["meta"]
    w = out.write
    w("\n=== libscxcore benchmark ===\n")
    w(f"timing: {mode}; rounds: {meta.get('rounds', '?')}; guest CPUs: {meta.get('cpus', '?')}; "
      f"kernel {meta.get('kernel', '?')}\n")
    w(f"hackbench {meta.get('hackbench', '').replace('_', ' ')}; ping-pong {meta.get('pingpong_n', '?')} "
      f"round trips; wake-up probe {meta.get('wakeup_n', '?')} x 1 ms sleeps beside "
      f"{meta.get('hogs', '?')} CPU hogs\n")
    if res["done"]:
        w(f"guest time of the whole run: {res['done'].get('guest_s', '?')} s\n")
    w("\nMedians over the rounds; in brackets each scheduler's ratio to EEVDF (median of the per-round\n"
      "ratios; < 1 = better than EEVDF, except for the row marked higher=better). A/A band: min-max\n"
      "of EEVDF-bis/EEVDF per round, the noise of EEVDF against itself; * = ratio outside the band.\n\n")
    scheds = res["scheds"]
    head = ["test", "unit"] + scheds + ["A/A band"]
    rows = []
    for test, label, unit in TESTS:
        row = res["summary"].get(test)
        if not row:
            continue
        band = row["aa_band"]
        cells = [label, unit]
        for s in scheds:
            c = row["scheds"].get(s, {})
            text = fmt(c.get("median"))
            r = c.get("ratio_median")
            if r is not None:
                outside = band and (r < band[0] or r > band[1]) and s != AA
                text += f" [{r:.3f}{'*' if outside else ''}]"
            cells.append(text)
        cells.append(f"{band[0]:.3f}-{band[1]:.3f}" if band else "-")
        rows.append(cells)
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    for r in [head] + rows:
        w("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(r)).rstrip() + "\n")

    w("\nPer-round values (for the spread):\n")
    for test, label, unit in TESTS:
        row = res["summary"].get(test)
        if not row:
            continue
        parts = []
        for s in scheds:
            vals = row["scheds"].get(s, {}).get("values", [])
            parts.append(f"{s} " + " ".join(fmt(v) for v in vals))
        w(f"  {label}: " + "; ".join(parts) + "\n")

    w("\nOverheads of the user-space schedulers\n")
    for s, o in res["overheads"].items():
        w(f"\n== {s}\n")
        if o.get("syscalls_per_task") is not None:
            w(f"syscalls per scheduled task: {o['syscalls_per_task']:.4f}\n")
            tr = o["traced_run"]
            w(f"  ({tr['syscalls']} system calls of its threads / {tr['dispatches']} user dispatches, "
              f"one hackbench run traced with a hist trigger on raw_syscalls:sys_enter)\n")
            calls = o.get("syscalls_by_call")
            if calls:
                w("  by call: " + ", ".join(f"{k} {v}" for k, v in calls.items()) + "\n")
        if "cpu_ms_per_1000_tasks" in o:
            lo, hi = o["cpu_ms_per_1000_tasks_range"]
            w(f"scheduler CPU time per 1,000 scheduled tasks: {o['cpu_ms_per_1000_tasks']:.2f} ms "
              f"(median of {len(o['cpu_runs'])} hackbench runs, {lo:.2f}-{hi:.2f}; utime+stime "
              f"of the process, 10 ms ticks)\n")
        if "run_ms_per_1000_tasks" in o:
            lo, hi = o["run_ms_per_1000_tasks_range"]
            w(f"  by schedstat (exact run time of its threads): {o['run_ms_per_1000_tasks']:.2f} ms "
              f"per 1,000 tasks ({lo:.2f}-{hi:.2f})\n")
        if "cpu_ms_per_1000_tasks" not in o and o.get("cpu_ms_per_1000_tasks_traced") is not None:
            w(f"scheduler CPU time per 1,000 scheduled tasks: {o['cpu_ms_per_1000_tasks_traced']:.2f} ms "
              f"(the traced hackbench run)\n")
        if "idle" in o:
            i = o["idle"]
            w(f"idle CPU use: {i['cpu_ms']} ms over {i['secs']:g} idle s = {i['percent']:.2f} % "
              f"(utime+stime)")
            if i.get("percent_schedstat") is not None:
                w(f"; {i['run_us']} us = {i['percent_schedstat']:.3f} % by schedstat")
            w("\n")
        lat = o.get("latency")
        if lat:
            c = lat.get("counts", {})
            w(f"over one untraced hackbench run: {c.get('dequeued', '?')} tasks dequeued, "
              f"{c.get('dispatched', '?')} dispatched in {c.get('batches', '?')} batches\n")
            for name, what in (("enqueue_to_dequeue", "enqueue -> dequeue (parked by BPF -> "
                                 "scx_dequeue() returns it)"),
                               ("enqueue_to_run", "enqueue -> run (parked by BPF -> it starts "
                                "running after our dispatch)")):
                h = lat.get(name)
                if h:
                    w(f"  {what}: n={int(h.get('n') or 0)} mean {fmt(h.get('mean_us'), 1)} us, "
                      f"p50 {fmt(h.get('p50_us'), 0)} us, p90 {fmt(h.get('p90_us'), 0)} us, "
                      f"p99 {fmt(h.get('p99_us'), 0)} us, max {fmt(h.get('max_us'), 1)} us\n")

    if res["counts"]:
        w("\nWhat the library did during each test (sums over the rounds): tasks placed by user space,\n"
          "by the BPF side alone, by the fail-safe (a task waited > 100 ms for user space), and tasks\n"
          "that found the ring to user space full:\n")
        for s, tests in res["counts"].items():
            for t, c in tests.items():
                w(f"  {s:<16} {t:<18} user {c['user']:>7}  kernel {c['kernel']:>7}  "
                  f"fail-safe {c['failsafe']:>5}  congested {c['congested']:>5}  ({c['runs']} runs)\n")
    elif any(int(st.get(k) or 0) for st in res["sched_stats"] for k in ("failsafe", "congested")):
        w("\nRuns where the library fell back (fail-safe, congestion):\n")
        for st in res["sched_stats"]:
            w("  " + " ".join(f"{k}={v}" for k, v in st.items()) + "\n")
    if res["errors"]:
        w("\nErrors:\n")
        for e in res["errors"]:
            w("  " + " ".join(f"{k}={v}" for k, v in e.items()) + "\n")


def svg_chart(res, mode):
    """Grouped bars of the median ratio to EEVDF per test, with the A/A band."""
    bars = [s for s in res["scheds"] if s != BASE]
    tests = [(t, label) for t, label, _ in TESTS if t in res["summary"]]
    colours = {AA: "#9e9e9e"}
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"]
    for i, s in enumerate(s for s in bars if s != AA):
        colours[s] = palette[i % len(palette)]
    top = 1.2
    for t, _ in tests:
        row = res["summary"][t]
        for s in bars:
            r = row["scheds"].get(s, {}).get("ratio_median")
            if r:
                top = max(top, r)
        if row["aa_band"]:
            top = max(top, row["aa_band"][1])
    top = (int(top * 4) + 1) / 4  # round up to a quarter

    W, H = 900, 460
    left, right, up, down = 60, 20, 60, 90
    pw, ph = W - left - right, H - up - down
    gw = pw / max(len(tests), 1)
    bw = min(36, (gw - 20) / max(len(bars), 1))

    def y(v):
        return up + ph - v / top * ph

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
         f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">'
         f'Ratio to EEVDF (median of per-round ratios; lower is better)</text>',
         f'<text x="{W / 2}" y="40" text-anchor="middle" fill="#555">'
         f'{escape(mode)}; rounds: {escape(str(res["meta"].get("rounds", "?")))}; '
         f'grey band: A/A spread (EEVDF-bis/EEVDF, min-max)</text>']
    step = 0.25 if top <= 2 else 0.5 if top <= 4 else 1.0
    v = 0.0
    while v <= top + 1e-9:
        o.append(f'<line x1="{left}" x2="{W - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                 f'stroke="{"#333" if abs(v - 1) < 1e-9 else "#e0e0e0"}"/>')
        o.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        v += step
    for gi, (t, label) in enumerate(tests):
        row = res["summary"][t]
        gx = left + gi * gw
        band = row["aa_band"]
        x0 = gx + (gw - bw * len(bars)) / 2
        for bi, s in enumerate(bars):
            r = row["scheds"].get(s, {}).get("ratio_median")
            if r is None:
                continue
            x = x0 + bi * bw
            o.append(f'<rect x="{x + 2:.1f}" width="{bw - 4:.1f}" y="{y(r):.1f}" '
                     f'height="{y(0) - y(r):.1f}" fill="{colours[s]}"><title>{escape(s)}: '
                     f'{r:.3f}</title></rect>')
            o.append(f'<text x="{x + bw / 2:.1f}" y="{y(r) - 4:.1f}" text-anchor="middle" '
                     f'font-size="10">{r:.2f}</text>')
        if band:  # over the bars, translucent, edges dashed
            y0, y1 = y(band[1]), y(band[0])
            o.append(f'<rect x="{gx + 4:.1f}" width="{gw - 8:.1f}" y="{y0 - 1:.1f}" '
                     f'height="{y1 - y0 + 2:.1f}" fill="#757575" opacity="0.35">'
                     f'<title>A/A band {band[0]:.3f}-{band[1]:.3f}</title></rect>')
            for yy in (y0 - 1, y1 + 1):
                o.append(f'<line x1="{gx + 4:.1f}" x2="{gx + gw - 4:.1f}" y1="{yy:.1f}" '
                         f'y2="{yy:.1f}" stroke="#424242" stroke-dasharray="3,2"/>')
        o.append(f'<text x="{gx + gw / 2:.1f}" y="{up + ph + 18}" text-anchor="middle">'
                 f'{escape(label)}</text>')
    lx = left
    for s in bars:
        o.append(f'<rect x="{lx}" y="{H - 30}" width="12" height="12" fill="{colours[s]}"/>')
        o.append(f'<text x="{lx + 16}" y="{H - 20}">{escape(s)}</text>')
        lx += 30 + 8 * len(s)
    o.append(f'<rect x="{lx}" y="{H - 30}" width="12" height="12" fill="#757575" opacity="0.35"/>')
    o.append(f'<text x="{lx + 16}" y="{H - 20}">A/A band</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    ap.add_argument("--mode", default="unknown timing mode")
    ap.add_argument("--json")
    ap.add_argument("--svg")
    a = ap.parse_args()
    res = analyse(parse(a.log))
    if not res["summary"] or not any(r["scheds"] for r in res["summary"].values()):
        print(f"report: no benchmark results in {a.log}", file=sys.stderr)
        return 1
    res["mode"] = a.mode
    print_report(res, a.mode)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"\nwrote {a.json}")
    if a.svg:
        with open(a.svg, "w") as f:
            f.write(svg_chart(res, a.mode))
        print(f"wrote {a.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
