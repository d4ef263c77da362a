// SPDX-License-Identifier: GPL-2.0-only
// Metrics of a finished run: JSON (docs/sim.md), a table, an SVG.
// Everything here is a function of the run alone (no wall clock, no
// addresses), printed with fixed precision: same run, same bytes.
#include "report.h"
#include "svg.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace scxsim {

namespace {

std::string jstr(const std::string &s)
{
	std::string o = "\"";
	for (unsigned char c : s) {
		if (c == '"' || c == '\\') {
			o += '\\';
			o += (char)c;
		} else if (c < 0x20) {
			char b[8];
			snprintf(b, sizeof(b), "\\u%04x", c);
			o += b;
		} else {
			o += (char)c;
		}
	}
	return o + "\"";
}

std::string fmt(const char *f, double v)
{
	char b[64];
	snprintf(b, sizeof(b), f, v);
	return b;
}

std::string u64(uint64_t v)
{
	return std::to_string(v);
}

} // namespace

std::string report_json(const RunReport &r)
{
	double dur_s = (double)r.duration_ns / 1e9;
	double cap = (double)r.duration_ns * r.cpus;
	uint64_t switches = 0, migrations = 0, preemptions = 0, exited = 0;
	for (const ClassSummary &o : r.classes) {
		switches += o.switches;
		migrations += o.migrations;
		preemptions += o.preemptions;
		exited += o.exits;
	}

	std::string j = "{\n";
	j += "  \"simulator\": \"libscxcore-sim 0.1.0\",\n";
	j += "  \"scheduler\": " + jstr(r.opts.name) + ",\n";
	j += "  \"workload\": " + jstr(r.workload) + ",\n";
	j += "  \"seed\": " + u64(r.cfg.seed) + ",\n";
	j += "  \"machine\": {\"cpus\": " + std::to_string(r.cpus) + ", \"smt\": " + std::to_string(r.smt) +
	     ", \"llc_cpus\": " + std::to_string(r.llc_cpus) + ", \"nodes\": " +
	     std::to_string(r.nodes) + ", \"hz\": " + std::to_string(r.hz) + "},\n";
	j += "  \"options\": {\"slice_ns\": " + u64(r.opts.slice_ns) + ", \"builtin_idle\": " +
	     (r.opts.builtin_idle ? "true" : "false") + ", \"wake_to_idle_prev\": " +
	     (r.opts.wake_to_idle_prev ? "true" : "false") + ", \"idle_runs_oldest\": " +
	     (r.opts.idle_runs_oldest ? "true" : "false") + ", \"failsafe_ms\": " + u64(r.opts.failsafe_ms) +
	     ", \"timeout_ms\": " + u64(r.opts.timeout_ms) + ", \"wake_batch\": " + u64(r.opts.wake_batch) + "},\n";
	j += "  \"duration_s\": " + fmt("%.6f", dur_s) + ",\n";
	j += "  \"exit\": {\"kind\": " + std::to_string(r.exit_kind) + ", \"reason\": " + jstr(r.exit_reason) +
	     ", \"msg\": " + jstr(r.exit_msg) + "},\n";
	j += "  \"events\": " + u64(r.events) + ",\n";
	j += "  \"totals\": {\"tasks\": " + u64(r.tasks) + ", \"exited\": " + u64(exited) +
	     ", \"context_switches\": " + u64(switches) + ", \"migrations\": " + u64(migrations) +
	     ", \"preemptions\": " + u64(preemptions) + ", \"utilisation\": " +
	     fmt("%.4f", cap > 0 ? (double)r.busy_ns / cap : 0) + "},\n";
	j += "  \"user_space\": {\"cpu_ms\": " + fmt("%.3f", (double)r.user_cpu_ns / 1e6) +
	     ", \"wakeups\": " + u64(r.user_wakeups) + ", \"preemptions\": " + u64(r.user_preemptions) +
	     ", \"bpf_syscalls\": " + u64(r.user_bpf_calls) + ", \"epoll_waits\": " + u64(r.user_epoll_waits) +
	     "},\n";
	j += "  \"stats\": {\"user_dispatches\": " + u64(r.st.nr_user_dispatches) +
	     ", \"kernel_dispatches\": " + u64(r.st.nr_kernel_dispatches) +
	     ", \"cancel_dispatches\": " + u64(r.st.nr_cancel_dispatches) +
	     ", \"bounce_dispatches\": " + u64(r.st.nr_bounce_dispatches) +
	     ", \"failed_dispatches\": " + u64(r.st.nr_failed_dispatches) +
	     ", \"sched_congested\": " + u64(r.st.nr_sched_congested) +
	     ", \"failsafe_entries\": " + u64(r.st.nr_failsafe_entries) +
	     ", \"failsafe_dispatches\": " + u64(r.st.nr_failsafe_dispatches) +
	     ", \"failsafe_ns\": " + u64(r.st.failsafe_ns) + ", \"wakeups_sent\": " + u64(r.st.nr_wakeups_sent) +
	     "},\n";
	j += "  \"classes\": [";
	for (size_t k = 0; k < r.classes.size(); k++) {
		const ClassSummary &o = r.classes[k];
		const Hist &h = o.wait;
		j += k ? ",\n    {" : "\n    {";
		j += "\"name\": " + jstr(o.name) + ", \"tasks\": " + u64(o.tasks) + ", \"exited\": " + u64(o.exits) +
		     ",\n     \"wait_us\": {\"samples\": " + u64(h.count()) + ", \"mean\": " +
		     fmt("%.3f", h.mean() / 1e3) + ", \"p50\": " + fmt("%.3f", (double)h.percentile(0.5) / 1e3) +
		     ", \"p90\": " + fmt("%.3f", (double)h.percentile(0.9) / 1e3) +
		     ", \"p99\": " + fmt("%.3f", (double)h.percentile(0.99) / 1e3) +
		     ", \"max\": " + fmt("%.3f", (double)h.max() / 1e3) + "},\n";
		j += "     \"runtime_ms\": " + fmt("%.3f", (double)o.runtime / 1e6) +
		     ", \"utilisation\": " + fmt("%.4f", cap > 0 ? (double)o.runtime / cap : 0) +
		     ", \"throughput_per_s\": " + fmt("%.3f", dur_s > 0 ? (double)o.bursts / dur_s : 0) +
		     ", \"bursts\": " + u64(o.bursts) + ", \"fairness\": " + fmt("%.4f", o.fairness) +
		     ",\n     \"context_switches\": " + u64(o.switches) + ", \"migrations\": " + u64(o.migrations) +
		     ", \"preemptions\": " + u64(o.preemptions) + ", \"wakeups\": " + u64(o.wakeups) + ",\n";
		j += "     \"ran_on\": [";
		for (size_t i = 0; i < o.ran_on.size(); i++)
			j += (i ? ", " : "") + std::to_string(o.ran_on[i]);
		j += "],\n";
		j += "     \"wait_cdf\": [";
		auto pts = h.cdf(120);
		for (size_t i = 0; i < pts.size(); i++) {
			j += i ? ", [" : "[";
			j += fmt("%.3f", (double)pts[i].first / 1e3) + ", " + fmt("%.4f", pts[i].second) + "]";
		}
		j += "]}";
	}
	j += "\n  ],\n";
	j += "  \"completion_order\": [";
	for (size_t i = 0; i < r.completion.size(); i++) {
		const Completion &c = r.completion[i];
		j += i ? ",\n    " : "\n    ";
		j += "{\"pid\": " + std::to_string(c.pid) + ", \"task\": " + jstr(c.task) + ", \"group\": " +
		     std::to_string(c.group) + ", \"ms\": " + fmt("%.6f", (double)c.died_ns / 1e6) + "}";
	}
	j += r.completion.empty() ? "]\n" : "\n  ]\n";
	j += "}\n";
	return j;
}

std::string report_table(const RunReport &r)
{
	std::string s;
	char buf[512];
	snprintf(buf, sizeof(buf), "scx-sim: %s on %s, %d CPUs, seed %llu, %.3f s virtual, %llu events: %s%s%s\n",
		 r.opts.name.c_str(), r.workload.c_str(), r.cpus, (unsigned long long)r.cfg.seed,
		 (double)r.duration_ns / 1e9, (unsigned long long)r.events, r.exit_reason.c_str(),
		 r.exit_msg.empty() ? "" : ": ", r.exit_msg.c_str());
	s += buf;
	snprintf(buf, sizeof(buf), "%-14s %6s %10s %10s %10s %7s %11s %8s %9s %8s\n", "class", "tasks", "p50(us)",
		 "p99(us)", "max(us)", "util%", "bursts/s", "jain", "ctxsw", "migr");
	s += buf;
	double cap = (double)r.duration_ns * r.cpus;
	for (const ClassSummary &o : r.classes) {
		const Hist &h = o.wait;
		snprintf(buf, sizeof(buf), "%-14s %6llu %10.1f %10.1f %10.1f %7.2f %11.1f %8.4f %9llu %8llu\n",
			 o.name.c_str(), (unsigned long long)o.tasks, (double)h.percentile(0.5) / 1e3,
			 (double)h.percentile(0.99) / 1e3, (double)h.max() / 1e3,
			 cap > 0 ? 100.0 * (double)o.runtime / cap : 0,
			 r.duration_ns ? (double)o.bursts * 1e9 / (double)r.duration_ns : 0, o.fairness,
			 (unsigned long long)o.switches, (unsigned long long)o.migrations);
		s += buf;
	}
	snprintf(buf, sizeof(buf),
		 "dispatches: user=%llu kernel=%llu cancel=%llu bounce=%llu failed=%llu congested=%llu "
		 "failsafe=%llu\n",
		 (unsigned long long)r.st.nr_user_dispatches, (unsigned long long)r.st.nr_kernel_dispatches,
		 (unsigned long long)r.st.nr_cancel_dispatches, (unsigned long long)r.st.nr_bounce_dispatches,
		 (unsigned long long)r.st.nr_failed_dispatches, (unsigned long long)r.st.nr_sched_congested,
		 (unsigned long long)r.st.nr_failsafe_dispatches);
	s += buf;
	snprintf(buf, sizeof(buf), "user space: %.3f ms CPU, %llu wake-ups, system calls: bpf=%llu epoll_wait=%llu\n",
		 (double)r.user_cpu_ns / 1e6, (unsigned long long)r.user_wakeups,
		 (unsigned long long)r.user_bpf_calls, (unsigned long long)r.user_epoll_waits);
	s += buf;
	return s;
}

namespace {

void write_to(const std::string &where, const std::string &text, const char *what)
{
	if (where.empty() || where == "none")
		return;
	if (where == "-" || where == "stdout") {
		fputs(text.c_str(), stdout);
		fflush(stdout);
		return;
	}
	if (where == "stderr") {
		fputs(text.c_str(), stderr);
		return;
	}
	FILE *f = fopen(where.c_str(), "w");
	if (!f || fputs(text.c_str(), f) < 0 || fclose(f)) {
		fprintf(stderr, "scx-sim: cannot write the %s to %s: %s\n", what, where.c_str(), strerror(errno));
		if (f)
			fclose(f);
	}
}

} // namespace

void write_report(const RunReport &r, const std::string &json)
{
	write_to(r.cfg.output, json, "JSON");
	if (r.cfg.table != "none")
		write_to(r.cfg.table, report_table(r), "table");
	if (!r.cfg.svg.empty()) {
		std::vector<Curve> curves;
		for (const ClassSummary &o : r.classes) {
			Curve c;
			c.label = o.name;
			for (auto &p : o.wait.cdf(200))
				c.pts.push_back({(double)p.first / 1e3, p.second});
			curves.push_back(c);
		}
		write_to(r.cfg.svg, cdf_svg(r.opts.name + " on " + r.workload + ": wait-time CDF", curves), "SVG");
	}
}

} // namespace scxsim
