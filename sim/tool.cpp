// SPDX-License-Identifier: GPL-2.0-only
// scx-sim: the simulator's command-line companion.
//   scx-sim check FILE...            check workload files (errors name the line and field)
//   scx-sim preset NAME [CPUS]       print a preset in the workload format
//   scx-sim svg OUT.svg [--class C] RUN.json...
//                                    wait-time CDF, one curve per run (scheduler)
//   scx-sim compare [--max-ratio R] [--min-order S] REF.json... [--] RUN.json...
//                                    runs against references (the simulator
//                                    against kernel runs): context switches and
//                                    completion order within a tolerance
#include "json.h"
#include "svg.h"
#include "workload.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace scxsim;

namespace {

int usage()
{
	fprintf(stderr, "usage: scx-sim check FILE...\n"
			"       scx-sim preset hogs|sleepers|hackbench|mixed [CPUS]\n"
			"       scx-sim svg OUT.svg [--class CLASS] RUN.json...\n"
			"       scx-sim compare [--max-ratio R] [--min-order S] REF.json... [--] RUN.json...\n");
	return 2;
}

bool read_file(const char *path, std::string *out)
{
	std::ifstream f(path);
	if (!f)
		return false;
	std::stringstream ss;
	ss << f.rdbuf();
	*out = ss.str();
	return true;
}

// All classes of a run merged: the CDF points weighted by their samples.
Curve merged_curve(const Json &run, const std::string &cls)
{
	Curve c;
	c.label = run["scheduler"].str + (cls.empty() ? "" : " (" + cls + ")");
	std::vector<std::pair<double, double>> steps; // (x, mass)
	double total = 0;
	for (const Json &k : run["classes"].arr) {
		if (!cls.empty() && k["name"].str != cls)
			continue;
		double n = k["wait_us"]["samples"].num, prev = 0;
		for (const Json &p : k["wait_cdf"].arr) {
			steps.push_back({p[0].num, (p[1].num - prev) * n});
			prev = p[1].num;
		}
		total += n;
	}
	std::sort(steps.begin(), steps.end());
	double acc = 0;
	for (auto &s : steps) {
		acc += s.second;
		if (!c.pts.empty() && c.pts.back().first == s.first)
			c.pts.back().second = acc / total;
		else
			c.pts.push_back({s.first, total > 0 ? acc / total : 0});
	}
	return c;
}

bool read_run(const char *path, Json *run)
{
	std::string text, err;
	if (!read_file(path, &text) || !parse_json(text, run, &err)) {
		fprintf(stderr, "scx-sim: %s: %s\n", path, err.empty() ? "cannot read" : err.c_str());
		return false;
	}
	return true;
}

// How alike two completion orders are: the k-th task of a kind (same
// @by_group ? class and group : class) to exit in @a is paired with the
// k-th of that kind in @b, and the Pearson correlation of the pairs' exit
// ranks is returned (1: the kinds finish in the same order; 0: unrelated).
double order_similarity(const Json &a, const Json &b, bool by_group)
{
	auto kind = [by_group](const Json &t) {
		return t["task"].str + (by_group ? "/" + std::to_string((long)t["group"].num) : "");
	};
	std::map<std::string, std::vector<double>> ra, rb;
	for (size_t i = 0; i < a["completion_order"].size(); i++)
		ra[kind(a["completion_order"][i])].push_back((double)i);
	for (size_t i = 0; i < b["completion_order"].size(); i++)
		rb[kind(b["completion_order"][i])].push_back((double)i);
	std::vector<std::pair<double, double>> xy;
	for (auto &[k, xs] : ra) {
		const std::vector<double> &ys = rb[k];
		for (size_t i = 0; i < xs.size() && i < ys.size(); i++)
			xy.push_back({xs[i], ys[i]});
	}
	if (xy.size() < 2)
		return 0;
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
	for (auto &p : xy) {
		mx += p.first / (double)xy.size();
		my += p.second / (double)xy.size();
	}
	for (auto &p : xy) {
		sxy += (p.first - mx) * (p.second - my);
		sxx += (p.first - mx) * (p.first - mx);
		syy += (p.second - my) * (p.second - my);
	}
	return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

const Json *find_class(const Json &run, const std::string &name)
{
	for (const Json &k : run["classes"].arr)
		if (k["name"].str == name)
			return &k;
	return nullptr;
}

// The mean of @field of class @name over @runs (a run without the class
// counts as 0).
double class_mean(const std::vector<Json> &runs, const std::string &name, const char *field)
{
	double sum = 0;
	for (const Json &r : runs) {
		const Json *c = find_class(r, name);
		sum += c ? (*c)[field].num : 0;
	}
	return sum / (double)runs.size();
}

// scx-sim compare: for every class of the first reference, the runs' mean
// context switches must be within a factor @max_ratio of the references'
// mean, and the classes must finish in a similar order (order_similarity by
// class, averaged over every reference and run, >= @min_order). Migrations
// and the order by group are printed, not judged.
int compare(const std::vector<Json> &refs, const std::vector<Json> &runs, double max_ratio, double min_order)
{
	int bad = 0;
	printf("%-12s %14s %14s %8s %12s %12s\n", "class", "ctxsw (ref)", "ctxsw (run)", "ratio", "migr (ref)",
	       "migr (run)");
	for (const Json &k : refs[0]["classes"].arr) {
		const std::string &name = k["name"].str;
		if (!find_class(runs[0], name)) {
			printf("%-12s missing from the run\n", name.c_str());
			bad++;
			continue;
		}
		double a = class_mean(refs, name, "context_switches"), b = class_mean(runs, name, "context_switches");
		double ratio = a > 0 ? b / a : INFINITY;
		bool ok = ratio <= max_ratio && ratio >= 1 / max_ratio;
		bad += !ok;
		printf("%-12s %14.0f %14.0f %8.2f %12.0f %12.0f%s\n", name.c_str(), a, b, ratio,
		       class_mean(refs, name, "migrations"), class_mean(runs, name, "migrations"),
		       ok ? "" : "  <- outside the tolerance");
	}
	double by_class = 0, by_group = 0, pairs = (double)(refs.size() * runs.size());
	for (const Json &ref : refs) {
		for (const Json &run : runs) {
			by_class += order_similarity(ref, run, false) / pairs;
			by_group += order_similarity(ref, run, true) / pairs;
		}
	}
	bool order_ok = by_class >= min_order;
	bad += !order_ok;
	printf("completion order: %.3f by class%s, %.3f by class and group\n", by_class,
	       order_ok ? "" : "  <- outside the tolerance", by_group);
	printf("tolerance: mean context switches of %zu run(s) within x%.2f of %zu reference(s), "
	       "order by class >= %.2f: %s\n",
	       runs.size(), max_ratio, refs.size(), min_order, bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	std::string cmd = argv[1];
	if (cmd == "check") {
		int bad = 0;
		for (int i = 2; i < argc; i++) {
			std::string text, err;
			Workload w;
			if (!read_file(argv[i], &text)) {
				fprintf(stderr, "%s: cannot read\n", argv[i]);
				bad++;
			} else if (!parse_workload(text, argv[i], &w, &err)) {
				fprintf(stderr, "%s\n", err.c_str());
				bad++;
			} else {
				size_t n = 0;
				for (auto &s : w.specs)
					n += (size_t)s.count * s.groups;
				printf("%s: ok (%d CPUs, %zu tasks at start, %zu classes)\n", argv[i], w.cpus, n,
				       w.classes.size());
			}
		}
		return argc < 3 ? usage() : bad ? 1 : 0;
	}
	if (cmd == "preset" && argc >= 3) {
		std::string text;
		if (!preset_text(argv[2], argc > 3 ? atoi(argv[3]) : 0, &text)) {
			fprintf(stderr, "scx-sim: no preset %s (hogs, sleepers, hackbench, mixed)\n", argv[2]);
			return 1;
		}
		fputs(text.c_str(), stdout);
		return 0;
	}
	if (cmd == "svg" && argc >= 4) {
		std::string out = argv[2], cls;
		std::vector<Curve> curves;
		std::string workload;
		for (int i = 3; i + 1 < argc; i++)
			if (!strcmp(argv[i], "--class"))
				cls = argv[i + 1];
		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--class")) {
				i++;
				continue;
			}
			Json run;
			if (!read_run(argv[i], &run))
				return 1;
			workload = run["workload"].str;
			curves.push_back(merged_curve(run, cls));
		}
		std::ofstream f(out);
		f << cdf_svg("wait-time CDF, " + workload + (cls.empty() ? "" : ", class " + cls), curves);
		if (!f) {
			fprintf(stderr, "scx-sim: cannot write %s\n", out.c_str());
			return 1;
		}
		return 0;
	}
	if (cmd == "compare") {
		double max_ratio = 2.5, min_order = 0.85; // docs/sim.md
		std::vector<const char *> files;
		for (int i = 2; i < argc; i++) {
			char *end = nullptr;
			if (!strcmp(argv[i], "--max-ratio") && i + 1 < argc)
				max_ratio = strtod(argv[++i], &end);
			else if (!strcmp(argv[i], "--min-order") && i + 1 < argc)
				min_order = strtod(argv[++i], &end);
			else
				files.push_back(argv[i]);
			if (end && (*end || !(max_ratio >= 1) || !(min_order >= -1 && min_order <= 1))) {
				fprintf(stderr, "scx-sim: --max-ratio must be >= 1, --min-order -1..1\n");
				return 2;
			}
		}
		// REF... -- RUN..., or REF... RUN (the last file is the run).
		auto sep = std::find_if(files.begin(), files.end(), [](const char *f) { return !strcmp(f, "--"); });
		size_t nref = sep != files.end() ? (size_t)(sep - files.begin()) : files.size() - 1;
		size_t first_run = sep != files.end() ? nref + 1 : nref;
		if (files.size() < 2 || nref == 0 || first_run >= files.size())
			return usage();
		std::vector<Json> refs(nref), runs(files.size() - first_run);
		for (size_t i = 0; i < nref; i++)
			if (!read_run(files[i], &refs[i]))
				return 1;
		for (size_t i = first_run; i < files.size(); i++)
			if (!read_run(files[i], &runs[i - first_run]))
				return 1;
		return compare(refs, runs, max_ratio, min_order);
	}
	return usage();
}
