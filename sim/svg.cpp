// SPDX-License-Identifier: GPL-2.0-only
#include "svg.h"

#include <cmath>
#include <cstdio>

namespace scxsim {

namespace {

std::string esc(const std::string &s)
{
	std::string o;
	for (char c : s) {
		if (c == '<')
			o += "&lt;";
		else if (c == '>')
			o += "&gt;";
		else if (c == '&')
			o += "&amp;";
		else if (c == '"')
			o += "&quot;";
		else
			o += c;
	}
	return o;
}

} // namespace

std::string cdf_svg(const std::string &title, const std::vector<Curve> &curves)
{
	static const char *colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
				       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
	const double W = 760, H = 440, L = 70, R = 200, T = 40, B = 50;
	const double pw = W - L - R, ph = H - T - B;
	double lo = 1e300, hi = 0;
	for (const Curve &c : curves)
		for (auto &p : c.pts) {
			double x = p.first < 0.1 ? 0.1 : p.first;
			lo = std::fmin(lo, x);
			hi = std::fmax(hi, x);
		}
	if (hi <= 0) {
		lo = 1;
		hi = 10;
	}
	double d0 = std::floor(std::log10(lo)), d1 = std::ceil(std::log10(hi));
	if (d1 <= d0)
		d1 = d0 + 1;
	auto X = [&](double us) {
		double v = std::log10(us < 0.1 ? 0.1 : us);
		return L + (v - d0) / (d1 - d0) * pw;
	};
	auto Y = [&](double f) { return T + (1 - f) * ph; };

	std::string s;
	char buf[512];
	snprintf(buf, sizeof(buf),
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		 "font-family=\"sans-serif\" font-size=\"12\">\n"
		 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		 W, H);
	s += buf;
	snprintf(buf, sizeof(buf), "<text x=\"%.0f\" y=\"22\" font-size=\"15\">%s</text>\n", L, esc(title).c_str());
	s += buf;
	for (double d = d0; d <= d1; d++) {
		double x = X(std::pow(10, d));
		snprintf(buf, sizeof(buf),
			 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
			 x, T, x, T + ph, x, T + ph + 16, std::pow(10, d));
		s += buf;
	}
	for (int i = 0; i <= 10; i += 2) {
		double y = Y(i / 10.0);
		snprintf(buf, sizeof(buf),
			 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
			 L, y, L + pw, y, L - 6, y + 4, i / 10.0);
		s += buf;
	}
	snprintf(buf, sizeof(buf),
		 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n"
		 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">wait time, runnable to running (us, log)</text>\n"
		 "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">"
		 "fraction of waits</text>\n",
		 L, T, pw, ph, L + pw / 2, H - 10, T + ph / 2, T + ph / 2);
	s += buf;
	for (size_t i = 0; i < curves.size(); i++) {
		const Curve &c = curves[i];
		const char *col = colors[i % 10];
		std::string path;
		double prev_y = 0;
		bool first = true;
		for (auto &p : c.pts) { // a step function
			double x = X(p.first), y = Y(p.second);
			if (first)
				snprintf(buf, sizeof(buf), "M%.1f %.1f L%.1f %.1f", x, Y(0), x, y);
			else
				snprintf(buf, sizeof(buf), " L%.1f %.1f L%.1f %.1f", x, prev_y, x, y);
			path += buf;
			prev_y = y;
			first = false;
		}
		if (!path.empty()) {
			snprintf(buf, sizeof(buf), " L%.1f %.1f", L + pw, prev_y);
			path += buf;
		}
		std::string line = "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + col + "\" stroke-width=\"1.8\"/>\n";
		s += line;
		double ly = T + 10 + 18 * (double)i;
		snprintf(buf, sizeof(buf),
			 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>\n"
			 "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			 L + pw + 12, ly, L + pw + 32, ly, col, L + pw + 38, ly + 4, esc(c.label).c_str());
		s += buf;
	}
	s += "</svg>\n";
	return s;
}

} // namespace scxsim
