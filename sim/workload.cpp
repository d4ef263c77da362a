// SPDX-License-Identifier: GPL-2.0-only
// The workload file format and the built-in presets (docs/sim.md).
#include "workload.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace scxsim {

namespace {

constexpr int kMaxCpus = 1024;
constexpr int kMaxLoopDepth = 8;
constexpr long kMaxTasks = 1000000;

struct Error {
	std::string where;
	int line;
	std::string msg;
};

std::string quote(const std::string &s)
{
	return "\"" + s + "\"";
}

bool parse_uint(const std::string &s, uint64_t max, uint64_t *out)
{
	if (s.empty() || s.size() > 20)
		return false;
	uint64_t v = 0;
	for (char c : s) {
		if (c < '0' || c > '9')
			return false;
		uint64_t d = (uint64_t)(c - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool parse_dur(const std::string &s, Dur *d)
{
	if (s.size() > 5 && s.compare(0, 4, "exp(") == 0 && s.back() == ')') {
		d->kind = Dur::EXP;
		return parse_time(s.substr(4, s.size() - 5), &d->lo) && d->lo > 0 && (d->hi = d->lo, true);
	}
	size_t dots = s.find("..");
	if (dots != std::string::npos) {
		d->kind = Dur::UNIFORM;
		return parse_time(s.substr(0, dots), &d->lo) && parse_time(s.substr(dots + 2), &d->hi) &&
		       d->lo <= d->hi;
	}
	d->kind = Dur::FIXED;
	if (!parse_time(s, &d->lo))
		return false;
	d->hi = d->lo;
	return true;
}

// "0-3,6,8-9" -> CPUs (checked against the machine later).
bool parse_cpus(const std::string &s, std::vector<int> *out)
{
	if (s == "all") {
		out->clear();
		return true;
	}
	std::stringstream ss(s);
	std::string part;
	while (std::getline(ss, part, ',')) {
		size_t dash = part.find('-');
		uint64_t a, b;
		if (dash == std::string::npos) {
			if (!parse_uint(part, kMaxCpus - 1, &a))
				return false;
			b = a;
		} else if (!parse_uint(part.substr(0, dash), kMaxCpus - 1, &a) ||
			   !parse_uint(part.substr(dash + 1), kMaxCpus - 1, &b) || a > b) {
			return false;
		}
		for (uint64_t c = a; c <= b; c++)
			out->push_back((int)c);
	}
	return !out->empty();
}

bool valid_ident(const std::string &s)
{
	if (s.empty() || s.size() > 63)
		return false;
	for (char c : s)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '.'))
			return false;
	return true;
}

std::vector<std::string> split_words(const std::string &line)
{
	std::vector<std::string> w;
	std::stringstream ss(line);
	std::string x;
	while (ss >> x)
		w.push_back(x);
	return w;
}

class Parser {
public:
	Parser(const std::string &where, Workload *w) : where_(where), w_(w) {}

	bool run(const std::string &text, std::string *err)
	{
		std::stringstream ss(text);
		std::string raw;
		while (std::getline(ss, raw)) {
			line_++;
			size_t hash = raw.find('#');
			if (hash != std::string::npos)
				raw.resize(hash);
			std::vector<std::string> words = split_words(raw);
			if (words.empty())
				continue;
			if (!line(words))
				break;
		}
		if (ok_ && task_) {
			fail("task", "task " + quote(w_->specs.back().name) + " (line " +
					     std::to_string(w_->specs.back().line) + ") has no closing \"end\"");
		}
		if (ok_)
			finish();
		if (!ok_)
			*err = where_ + ": line " + std::to_string(e_.line) + ": field \"" + field_ + "\": " + e_.msg;
		return ok_;
	}

private:
	bool fail(const std::string &field, const std::string &msg, int line = 0)
	{
		if (!ok_)
			return false;
		ok_ = false;
		field_ = field;
		e_ = {where_, line ? line : line_, msg};
		return false;
	}

	bool want_args(const std::vector<std::string> &w, size_t lo, size_t hi)
	{
		if (w.size() - 1 < lo)
			return fail(w[0], "needs " + std::to_string(lo) + " argument" + (lo > 1 ? "s" : ""));
		if (w.size() - 1 > hi)
			return fail(w[0], "unexpected " + quote(w[hi + 1]));
		return true;
	}

	bool kv(const std::string &word, std::string *k, std::string *v)
	{
		size_t eq = word.find('=');
		if (eq == std::string::npos || eq == 0)
			return fail(word, "expected key=value, got " + quote(word));
		*k = word.substr(0, eq);
		*v = word.substr(eq + 1);
		return true;
	}

	bool line(const std::vector<std::string> &w)
	{
		const std::string &d = w[0];
		if (task_)
			return step(w);
		if (d == "machine")
			return machine(w);
		if (d == "duration") {
			if (!want_args(w, 1, 1))
				return false;
			if (!parse_time(w[1], &w_->duration_ns) || !w_->duration_ns)
				return fail("duration", "must be a time such as 2s or 500ms, got " + quote(w[1]));
			return true;
		}
		if (d == "task")
			return task(w);
		if (d == "cgroup")
			return cgroup(w);
		return fail("directive", "unknown directive " + quote(d) + " (machine, duration, cgroup, task)");
	}

	// A valid name that no earlier @kind of @defined has.
	template <typename Defined>
	bool new_name(const char *kind, const std::string &name, const Defined &defined)
	{
		if (!valid_ident(name))
			return fail("name", "must be 1..63 letters, digits, '_', '-' or '.', got " + quote(name));
		for (const auto &o : defined)
			if (o.name == name)
				return fail("name", std::string(kind) + " " + quote(name) + " already defined at line " +
							    std::to_string(o.line));
		return true;
	}

	bool cgroup(const std::vector<std::string> &w)
	{
		if (w.size() < 2)
			return fail("name", "a cgroup needs a name: cgroup NAME [weight=N] [max=QUOTA_US/PERIOD_US]");
		CgroupSpec g;
		g.name = w[1];
		g.line = line_;
		if (!new_name("cgroup", g.name, w_->cgroups))
			return false;
		for (size_t i = 2; i < w.size(); i++) {
			std::string k, v;
			if (!kv(w[i], &k, &v))
				return false;
			uint64_t n;
			if (k == "weight") {
				if (!parse_uint(v, 10000, &n) || !n)
					return fail(k, "must be cpu.weight, an integer 1..10000, got " + quote(v));
				g.weight = (uint32_t)n;
			} else if (k == "max") {
				size_t slash = v.find('/');
				std::string quota = v.substr(0, slash);
				uint64_t q = ~0ULL, p = 0; // "max": no quota
				if (slash == std::string::npos || !parse_uint(v.substr(slash + 1), 1000000, &p) || p < 1000 ||
				    (quota != "max" && (!parse_uint(quota, p * 10000, &q) || q < 1000)))
					return fail(k, "must be cpu.max as QUOTA_US/PERIOD_US (or max/PERIOD_US), "
						       "period 1000..1000000, quota at least 1000, got " + quote(v));
				g.quota_us = q;
				g.period_us = p;
			} else {
				return fail(k, "unknown cgroup field (weight, max)");
			}
		}
		w_->cgroups.push_back(g);
		return true;
	}

	bool machine(const std::vector<std::string> &w)
	{
		for (size_t i = 1; i < w.size(); i++) {
			std::string k, v;
			if (!kv(w[i], &k, &v))
				return false;
			uint64_t n;
			if (k == "cpus") {
				if (!parse_uint(v, kMaxCpus, &n) || !n)
					return fail(k, "must be 1.." + std::to_string(kMaxCpus) + ", got " + quote(v));
				w_->cpus = (int)n;
			} else if (k == "smt") {
				if (!parse_uint(v, 8, &n) || !n)
					return fail(k, "must be 1..8 threads per core, got " + quote(v));
				w_->smt = (int)n;
			} else if (k == "llc") {
				if (!parse_uint(v, kMaxCpus, &n))
					return fail(k, "must be CPUs per last-level cache (0: all), got " + quote(v));
				w_->llc = (int)n;
			} else if (k == "nodes") {
				if (!parse_uint(v, 64, &n) || !n)
					return fail(k, "must be 1..64, got " + quote(v));
				w_->nodes = (int)n;
			} else if (k == "hz") {
				if (!parse_uint(v, 10000, &n))
					return fail(k, "must be the tick rate 0..10000 (0: slices end exactly), got " +
							       quote(v));
				w_->hz = (int)n;
			} else {
				return fail(k, "unknown machine field (cpus, smt, llc, nodes, hz)");
			}
		}
		machine_line_ = line_;
		return true;
	}

	bool task(const std::vector<std::string> &w)
	{
		if (w.size() < 2)
			return fail("name", "a task needs a name: task NAME [key=value...]");
		TaskSpec t;
		t.name = w[1];
		t.line = line_;
		if (!new_name("task", t.name, w_->specs))
			return false;
		for (size_t i = 2; i < w.size(); i++) {
			std::string k, v;
			if (!kv(w[i], &k, &v))
				return false;
			uint64_t n;
			if (k == "count") {
				if (!parse_uint(v, 100000, &n))
					return fail(k, "must be 0..100000, got " + quote(v));
				t.count = (int)n;
			} else if (k == "groups") {
				if (!parse_uint(v, 10000, &n) || !n)
					return fail(k, "must be 1..10000, got " + quote(v));
				t.groups = (int)n;
			} else if (k == "weight") {
				if (!parse_uint(v, 10000, &n) || !n)
					return fail(k, "must be an integer 1..10000 (100 = nice 0), got " + quote(v));
				t.weight = (uint32_t)n;
			} else if (k == "inbox") {
				if (!parse_uint(v, 1000000000, &n))
					return fail(k, "must be the messages its inbox holds, 0..1000000000 (0: unbounded), got " +
							       quote(v));
				t.inbox = (uint32_t)n;
			} else if (k == "class") {
				if (!valid_ident(v))
					return fail(k, "must be 1..63 letters, digits, '_', '-' or '.', got " + quote(v));
				t.cls = v;
			} else if (k == "comm") {
				if (v.empty() || v.size() > 15)
					return fail(k, "must be 1..15 characters, got " + quote(v));
				t.comm = v;
			} else if (k == "cpus") {
				if (!parse_cpus(v, &t.cpus))
					return fail(k, "must be a CPU list such as 0-3,6 or all, got " + quote(v));
				cpus_line_[w_->specs.size()] = line_;
			} else if (k == "start") {
				if (!parse_dur(v, &t.start))
					return fail(k, "must be a time, a range a..b or exp(mean), got " + quote(v));
			} else if (k == "cgroup") {
				for (size_t g = 0; g < w_->cgroups.size(); g++)
					if (w_->cgroups[g].name == v)
						t.cgroup = (int)g;
				if (t.cgroup < 0)
					return fail(k, "no cgroup " + quote(v) + " defined before this task");
			} else {
				return fail(k, "unknown task field (count, groups, weight, inbox, class, comm, cpus, start, cgroup)");
			}
		}
		if (t.cls.empty())
			t.cls = t.name;
		if (t.comm.empty())
			t.comm = t.name.substr(0, 15);
		w_->specs.push_back(t);
		task_ = true;
		loops_.clear();
		return true;
	}

	bool step(const std::vector<std::string> &w)
	{
		TaskSpec &t = w_->specs.back();
		Step s;
		s.line = line_;
		const std::string &op = w[0];
		if (op == "run" || op == "sleep") {
			if (!want_args(w, 1, 1))
				return false;
			s.op = op == "run" ? Op::RUN : Op::SLEEP;
			if (!parse_dur(w[1], &s.d))
				return fail(op, "must be a time, a range a..b or exp(mean), got " + quote(w[1]));
			if (s.op == Op::RUN && s.d.hi == 0)
				return fail(op, "a CPU burst must be longer than 0");
		} else if (op == "send" || op == "spawn") {
			if (!want_args(w, 1, 2))
				return false;
			s.op = op == "send" ? Op::SEND : Op::SPAWN;
			if (w.size() > 2) {
				uint64_t n;
				if (!parse_uint(w[2], 1000000, &n) || !n)
					return fail(op, "count must be 1..1000000, got " + quote(w[2]));
				s.n = (uint32_t)n;
			}
			t.refs.push_back({(int)t.prog.size(), w[1]});
		} else if (op == "recv") {
			if (!want_args(w, 0, 1))
				return false;
			s.op = Op::RECV;
			if (w.size() > 1) {
				uint64_t n;
				if (!parse_uint(w[1], 1000000000, &n) || !n)
					return fail(op, "count must be 1..1000000000, got " + quote(w[1]));
				s.n = (uint32_t)n;
			}
		} else if (op == "loop") {
			if (!want_args(w, 0, 1))
				return false;
			s.op = Op::LOOP;
			if (w.size() > 1 && (!parse_uint(w[1], UINT64_MAX, &s.count) || !s.count))
				return fail(op, "count must be a positive integer (none: forever), got " + quote(w[1]));
			if (loops_.size() >= (size_t)kMaxLoopDepth)
				return fail(op, "loops nest at most " + std::to_string(kMaxLoopDepth) + " deep");
			loops_.push_back((int)t.prog.size());
		} else if (op == "end") {
			if (!want_args(w, 0, 0))
				return false;
			if (loops_.empty()) {
				task_ = false;
				if (t.prog.empty())
					return fail("task", "task " + quote(t.name) + " has no steps");
				return true;
			}
			s.op = Op::END;
			s.match = loops_.back();
			t.prog[loops_.back()].match = (int)t.prog.size();
			loops_.pop_back();
		} else if (op == "exit") {
			if (!want_args(w, 0, 0))
				return false;
			s.op = Op::EXIT;
		} else {
			return fail("step", "unknown step " + quote(op) +
						    " (run, sleep, send, recv, spawn, loop, end, exit)");
		}
		t.prog.push_back(s);
		return true;
	}

	void finish()
	{
		Workload &w = *w_;
		if (w.specs.empty()) {
			fail("task", "the workload defines no task", line_);
			return;
		}
		int ml = machine_line_ ? machine_line_ : 1;
		if (w.cpus % w.smt)
			return (void)fail("smt", "cpus=" + std::to_string(w.cpus) + " is not a multiple of smt=" +
							 std::to_string(w.smt), ml);
		if (w.llc && (w.llc % w.smt || w.cpus % w.llc))
			return (void)fail("llc", "must be a multiple of smt that divides cpus, got " +
							 std::to_string(w.llc), ml);
		if (w.cpus % w.nodes || (w.cpus / w.nodes) % w.smt)
			return (void)fail("nodes", "must divide cpus into whole cores, got " +
							   std::to_string(w.nodes), ml);
		std::map<std::string, int> idx;
		for (size_t i = 0; i < w.specs.size(); i++)
			idx[w.specs[i].name] = (int)i;
		long total = 0;
		bool any = false;
		for (size_t i = 0; i < w.specs.size(); i++) {
			TaskSpec &t = w.specs[i];
			for (auto &r : t.refs) {
				auto it = idx.find(r.second);
				if (it == idx.end())
					return (void)fail(t.prog[r.first].op == Op::SEND ? "send" : "spawn",
							  "no task named " + quote(r.second), t.prog[r.first].line);
				t.prog[r.first].target = it->second;
			}
			t.refs.clear();
			for (int c : t.cpus)
				if (c >= w.cpus)
					return (void)fail("cpus", "CPU " + std::to_string(c) + " does not exist (the machine has " +
									  std::to_string(w.cpus) + ")",
							  cpus_line_.count(i) ? cpus_line_[i] : t.line);
			total += (long)t.count * t.groups;
			if (total > kMaxTasks)
				return (void)fail("count", "more than " + std::to_string(kMaxTasks) + " tasks", t.line);
			any |= t.count > 0;
			bool known = false;
			for (auto &c : w.classes)
				known |= c == t.cls;
			if (!known)
				w.classes.push_back(t.cls);
		}
		if (!any)
			fail("count", "no task starts (every task has count=0)", w.specs[0].line);
	}

	std::string where_;
	Workload *w_;
	int line_ = 0;
	int machine_line_ = 0;
	bool task_ = false;
	std::vector<int> loops_;
	std::map<size_t, int> cpus_line_;
	bool ok_ = true;
	std::string field_;
	Error e_;
};

} // namespace

bool parse_time(const std::string &s, uint64_t *ns)
{
	size_t i = 0;
	while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	std::string num = s.substr(0, i), unit = s.substr(i);
	if (num.empty() || num.find_first_of("0123456789") == std::string::npos ||
	    num.find('.') != num.rfind('.'))
		return false;
	double mul;
	if (unit.empty() || unit == "ns")
		mul = 1;
	else if (unit == "us")
		mul = 1e3;
	else if (unit == "ms")
		mul = 1e6;
	else if (unit == "s")
		mul = 1e9;
	else
		return false;
	// Integer and fraction separately: exact for what people write.
	size_t dot = num.find('.');
	uint64_t ip = 0;
	if (dot != 0 && !parse_uint(num.substr(0, dot), UINT64_MAX, &ip))
		return false;
	double frac = dot == std::string::npos ? 0 : strtod(("0" + num.substr(dot)).c_str(), nullptr);
	double v = (double)ip * mul + frac * mul;
	if (v > 1e18)
		return false;
	*ns = (uint64_t)(v + 0.5);
	return true;
}

bool parse_workload(const std::string &text, const std::string &where, Workload *out, std::string *err)
{
	Workload w;
	w.name = where;
	Parser p(where, &w);
	if (!p.run(text, err))
		return false;
	*out = std::move(w);
	return true;
}

bool preset_text(const std::string &name, int cpus, std::string *out)
{
	char buf[4096];
	int n = cpus > 0 ? cpus : 4;
	if (name == "hogs") {
		// Twice as many CPU hogs as CPUs, half of them with double weight.
		snprintf(buf, sizeof(buf),
			 "# hogs: 2 CPU-bound tasks per CPU, half of them with weight 200\n"
			 "machine cpus=%d smt=2\n"
			 "duration 2s\n"
			 "task hog count=%d class=hog\n"
			 "  loop\n"
			 "    run 50ms..150ms\n"
			 "  end\n"
			 "end\n"
			 "task hog2 count=%d class=hog-w200 weight=200\n"
			 "  loop\n"
			 "    run 50ms..150ms\n"
			 "  end\n"
			 "end\n",
			 n, n, n);
	} else if (name == "sleepers") {
		// Many short bursts between sleeps: latency-bound, the machine half idle.
		snprintf(buf, sizeof(buf),
			 "# sleepers: 8 tasks per CPU, short bursts between sleeps\n"
			 "machine cpus=%d smt=2\n"
			 "duration 2s\n"
			 "task sleeper count=%d start=0..10ms\n"
			 "  loop\n"
			 "    sleep 1ms..15ms\n"
			 "    run 50us..800us\n"
			 "  end\n"
			 "end\n",
			 n, 8 * n);
	} else if (name == "hackbench") {
		// hackbench -g 4 -f 10 -l 100 with pipes: each sender writes one
		// message to each receiver of its group per loop; receivers read.
		snprintf(buf, sizeof(buf),
			 "# hackbench: 4 groups of 10 senders and 10 receivers, 100 loops\n"
			 "machine cpus=%d smt=2\n"
			 "duration 60s\n"
			 "task sender count=10 groups=4 start=0..200us\n"
			 "  loop 100\n"
			 "    run 15us..25us\n"
			 "    send receiver\n"
			 "  end\n"
			 "end\n"
			 "task receiver count=10 groups=4 start=0..200us\n"
			 "  loop 1000\n"
			 "    recv\n"
			 "    run 1us..3us\n"
			 "  end\n"
			 "end\n",
			 n);
	} else if (name == "mixed") {
		// A desktop under a build: make -j(2*CPUs) forking compiler jobs
		// (CPU-bound, blocking briefly on their pipes and files), and
		// interactive tasks waking at frame and audio rates.
		snprintf(buf, sizeof(buf),
			 "# mixed: a desktop (interactive class) under a parallel build (build class)\n"
			 "machine cpus=%d smt=2\n"
			 "duration 3s\n"
			 "task make class=build\n"
			 "  spawn cc %d\n"
			 "  loop\n"
			 "    recv\n"
			 "    run 100us..300us\n"
			 "    spawn cc\n"
			 "  end\n"
			 "end\n"
			 "task cc count=0 class=build\n"
			 "  loop 12\n"
			 "    run 1ms..8ms\n"
			 "    sleep 20us..300us\n"
			 "  end\n"
			 "end\n"
			 "task ui count=2 class=interactive start=0..16ms\n"
			 "  loop\n"
			 "    sleep 14ms..18ms\n"
			 "    run 500us..2ms\n"
			 "  end\n"
			 "end\n"
			 "task audio class=interactive start=0..5ms\n"
			 "  loop\n"
			 "    sleep 4ms..6ms\n"
			 "    run 100us..300us\n"
			 "  end\n"
			 "end\n"
			 "task input class=interactive start=0..30ms\n"
			 "  loop\n"
			 "    sleep exp(30ms)\n"
			 "    run 50us..200us\n"
			 "  end\n"
			 "end\n",
			 n, 2 * n);
	} else {
		return false;
	}
	*out = buf;
	return true;
}

bool load_workload(const std::string &name, int cpus_override, Workload *out, std::string *err)
{
	std::string text, where = name;
	if (preset_text(name, cpus_override, &text)) {
		where = "preset " + name;
	} else {
		std::ifstream f(name);
		if (!f) {
			*err = name + ": cannot read (" + strerror(errno) +
			       "); presets are hogs, sleepers, hackbench, mixed";
			return false;
		}
		std::stringstream ss;
		ss << f.rdbuf();
		text = ss.str();
	}
	if (!parse_workload(text, where, out, err))
		return false;
	out->name = name;
	if (cpus_override > 0 && cpus_override != out->cpus) {
		Workload &w = *out;
		w.cpus = cpus_override;
		if (w.cpus % w.smt)
			w.smt = 1;
		if (w.llc && w.cpus % w.llc)
			w.llc = 0;
		if (w.cpus % w.nodes || (w.cpus / w.nodes) % w.smt)
			w.nodes = 1;
		for (const TaskSpec &t : w.specs)
			for (int c : t.cpus)
				if (c >= w.cpus) {
					*err = where + ": line " + std::to_string(t.line) + ": field \"cpus\": CPU " +
					       std::to_string(c) + " does not exist with SCX_SIM_CPUS=" +
					       std::to_string(w.cpus);
					return false;
				}
	}
	return true;
}

} // namespace scxsim
