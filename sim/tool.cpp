// SPDX-License-Identifier: GPL-2.0-only
// scx-sim: the simulator's command-line companion.
//   scx-sim check FILE...            check workload files (errors name the line and field)
//   scx-sim preset NAME [CPUS]       print a preset in the workload format
//   scx-sim svg OUT.svg [--class C] RUN.json...
//                                    wait-time CDF, one curve per run (scheduler)
#include "json.h"
#include "svg.h"
#include "workload.h"

#include <algorithm>
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
			"       scx-sim svg OUT.svg [--class CLASS] RUN.json...\n");
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
			std::string text, err;
			Json run;
			if (!read_file(argv[i], &text) || !parse_json(text, &run, &err)) {
				fprintf(stderr, "scx-sim: %s: %s\n", argv[i], err.empty() ? "cannot read" : err.c_str());
				return 1;
			}
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
	return usage();
}
