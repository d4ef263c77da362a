// SPDX-License-Identifier: GPL-2.0-only
// Metrics of a finished run: JSON (docs/sim.md), a table, an SVG.
// Everything here is a function of the run alone (no wall clock, no
// addresses), printed with fixed precision: same run, same bytes.
#include "engine_impl.h"
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

struct ClassOut {
	std::string name;
	uint64_t tasks, exits, runtime, switches, migrations, preemptions, bursts, wakeups;
	double fairness;
	const Hist *wait;
};

} // namespace

std::string Engine::build_json() const
{
	double dur_s = (double)now_ / 1e9;
	double cap = (double)now_ * ncpu_;
	std::vector<ClassOut> cs;
	for (size_t k = 0; k < cls_.size(); k++) {
		ClassOut o{w_.classes[k], cls_[k].tasks, cls_[k].exits, 0, 0, 0, 0, 0, 0, 1.0, &cls_[k].wait};
		double sx = 0, sxx = 0;
		uint64_t n = 0;
		for (const Task &t : tasks_) {
			if (t.cls != (int32_t)k)
				continue;
			o.runtime += t.runtime;
			o.switches += t.switches;
			o.migrations += t.migrations;
			o.preemptions += t.preemptions;
			o.bursts += t.bursts;
			o.wakeups += t.wakeups;
			uint64_t end = t.died < now_ ? t.died : now_;
			if (t.state == T_NEW || end <= t.born)
				continue;
			// Weight-normalised share of the CPU while it existed.
			double x = (double)t.runtime / (double)t.weight / (double)(end - t.born);
			sx += x;
			sxx += x * x;
			n++;
		}
		o.fairness = n && sxx > 0 ? sx * sx / ((double)n * sxx) : 1.0;
		cs.push_back(o);
	}
	uint64_t busy = 0, switches = 0, migrations = 0, preemptions = 0, exited = 0;
	for (const Cpu &c : cpus_)
		busy += c.busy;
	for (const ClassOut &o : cs) {
		switches += o.switches;
		migrations += o.migrations;
		preemptions += o.preemptions;
		exited += o.exits;
	}

	std::string j = "{\n";
	j += "  \"simulator\": \"libscxcore-sim 0.1.0\",\n";
	j += "  \"scheduler\": " + jstr(opts_.name) + ",\n";
	j += "  \"workload\": " + jstr(w_.name) + ",\n";
	j += "  \"seed\": " + u64(cfg_.seed) + ",\n";
	j += "  \"machine\": {\"cpus\": " + std::to_string(ncpu_) + ", \"smt\": " + std::to_string(w_.smt) +
	     ", \"llc_cpus\": " + std::to_string(w_.llc ? w_.llc : ncpu_) + ", \"nodes\": " +
	     std::to_string(w_.nodes) + ", \"hz\": " + std::to_string(w_.hz) + "},\n";
	j += "  \"options\": {\"slice_ns\": " + u64(opts_.slice_ns) + ", \"builtin_idle\": " +
	     (opts_.builtin_idle ? "true" : "false") + ", \"failsafe_ms\": " + u64(opts_.failsafe_ms) +
	     ", \"timeout_ms\": " + u64(opts_.timeout_ms) + ", \"wake_batch\": " + u64(opts_.wake_batch) + "},\n";
	j += "  \"duration_s\": " + fmt("%.6f", dur_s) + ",\n";
	j += "  \"exit\": {\"kind\": " + std::to_string(exit_.kind) + ", \"reason\": " + jstr(exit_.reason) +
	     ", \"msg\": " + jstr(exit_.msg) + "},\n";
	j += "  \"events\": " + u64(events_) + ",\n";
	j += "  \"totals\": {\"tasks\": " + u64(tasks_.size()) + ", \"exited\": " + u64(exited) +
	     ", \"context_switches\": " + u64(switches) + ", \"migrations\": " + u64(migrations) +
	     ", \"preemptions\": " + u64(preemptions) + ", \"utilisation\": " +
	     fmt("%.4f", cap > 0 ? (double)busy / cap : 0) + "},\n";
	j += "  \"user_space\": {\"cpu_ms\": " + fmt("%.3f", (double)(user_busy_ + (ucpu_ >= 0 ? now_ - user_since_ : 0)) / 1e6) +
	     ", \"wakeups\": " + u64(user_wakeups_) + ", \"preemptions\": " + u64(user_preemptions_) + "},\n";
	j += "  \"stats\": {\"user_dispatches\": " + u64(st_.nr_user_dispatches) +
	     ", \"kernel_dispatches\": " + u64(st_.nr_kernel_dispatches) +
	     ", \"cancel_dispatches\": " + u64(st_.nr_cancel_dispatches) +
	     ", \"bounce_dispatches\": " + u64(st_.nr_bounce_dispatches) +
	     ", \"failed_dispatches\": " + u64(st_.nr_failed_dispatches) +
	     ", \"sched_congested\": " + u64(st_.nr_sched_congested) +
	     ", \"failsafe_entries\": " + u64(st_.nr_failsafe_entries) +
	     ", \"failsafe_dispatches\": " + u64(st_.nr_failsafe_dispatches) +
	     ", \"failsafe_ns\": " + u64(st_.failsafe_ns) + ", \"wakeups_sent\": " + u64(st_.nr_wakeups_sent) +
	     "},\n";
	j += "  \"classes\": [";
	for (size_t k = 0; k < cs.size(); k++) {
		const ClassOut &o = cs[k];
		const Hist &h = *o.wait;
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
		bool first = true;
		for (int c = 0; c < ncpu_; c++)
			if (cls_[k].ran_on[c]) {
				j += (first ? "" : ", ") + std::to_string(c);
				first = false;
			}
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
	for (size_t i = 0; i < completion_.size(); i++) {
		const Task &t = tasks_[completion_[i]];
		j += i ? ",\n    " : "\n    ";
		j += "{\"pid\": " + std::to_string(completion_[i] + kPidBase) + ", \"task\": " +
		     jstr(w_.specs[t.spec].name) + ", \"group\": " + std::to_string(t.group) +
		     ", \"ms\": " + fmt("%.6f", (double)t.died / 1e6) + "}";
	}
	j += completion_.empty() ? "]\n" : "\n  ]\n";
	j += "}\n";
	return j;
}

std::string Engine::build_table() const
{
	std::string s;
	char buf[512];
	snprintf(buf, sizeof(buf), "scx-sim: %s on %s, %d CPUs, seed %llu, %.3f s virtual, %llu events: %s%s%s\n",
		 opts_.name.c_str(), w_.name.c_str(), ncpu_, (unsigned long long)cfg_.seed, (double)now_ / 1e9,
		 (unsigned long long)events_, exit_.reason.c_str(), exit_.msg.empty() ? "" : ": ",
		 exit_.msg.c_str());
	s += buf;
	snprintf(buf, sizeof(buf), "%-14s %6s %10s %10s %10s %7s %11s %8s %9s %8s\n", "class", "tasks", "p50(us)",
		 "p99(us)", "max(us)", "util%", "bursts/s", "jain", "ctxsw", "migr");
	s += buf;
	double cap = (double)now_ * ncpu_;
	for (size_t k = 0; k < cls_.size(); k++) {
		uint64_t runtime = 0, switches = 0, migr = 0, bursts = 0;
		double sx = 0, sxx = 0;
		uint64_t n = 0;
		for (const Task &t : tasks_) {
			if (t.cls != (int32_t)k)
				continue;
			runtime += t.runtime;
			switches += t.switches;
			migr += t.migrations;
			bursts += t.bursts;
			uint64_t end = t.died < now_ ? t.died : now_;
			if (t.state == T_NEW || end <= t.born)
				continue;
			double x = (double)t.runtime / (double)t.weight / (double)(end - t.born);
			sx += x;
			sxx += x * x;
			n++;
		}
		const Hist &h = cls_[k].wait;
		snprintf(buf, sizeof(buf), "%-14s %6llu %10.1f %10.1f %10.1f %7.2f %11.1f %8.4f %9llu %8llu\n",
			 w_.classes[k].c_str(), (unsigned long long)cls_[k].tasks, (double)h.percentile(0.5) / 1e3,
			 (double)h.percentile(0.99) / 1e3, (double)h.max() / 1e3,
			 cap > 0 ? 100.0 * (double)runtime / cap : 0, now_ ? (double)bursts * 1e9 / (double)now_ : 0,
			 n && sxx > 0 ? sx * sx / ((double)n * sxx) : 1.0, (unsigned long long)switches,
			 (unsigned long long)migr);
		s += buf;
	}
	snprintf(buf, sizeof(buf),
		 "dispatches: user=%llu kernel=%llu cancel=%llu bounce=%llu failed=%llu congested=%llu "
		 "failsafe=%llu\n",
		 (unsigned long long)st_.nr_user_dispatches, (unsigned long long)st_.nr_kernel_dispatches,
		 (unsigned long long)st_.nr_cancel_dispatches, (unsigned long long)st_.nr_bounce_dispatches,
		 (unsigned long long)st_.nr_failed_dispatches, (unsigned long long)st_.nr_sched_congested,
		 (unsigned long long)st_.nr_failsafe_dispatches);
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

void Engine::write_outputs()
{
	write_to(cfg_.output, json_, "JSON");
	if (cfg_.table != "none")
		write_to(cfg_.table, build_table(), "table");
	if (!cfg_.svg.empty()) {
		std::vector<Curve> curves;
		for (size_t k = 0; k < cls_.size(); k++) {
			Curve c;
			c.label = w_.classes[k];
			for (auto &p : cls_[k].wait.cdf(200))
				c.pts.push_back({(double)p.first / 1e3, p.second});
			curves.push_back(c);
		}
		write_to(cfg_.svg, cdf_svg(opts_.name + " on " + w_.name + ": wait-time CDF", curves), "SVG");
	}
}

} // namespace scxsim
