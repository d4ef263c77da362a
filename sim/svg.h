// SPDX-License-Identifier: GPL-2.0-only
// Wait-time CDFs drawn as SVG (log-scaled time axis).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace scxsim {

struct Curve {
	std::string label;
	std::vector<std::pair<double, double>> pts; // (wait in us, fraction <= it)
};

std::string cdf_svg(const std::string &title, const std::vector<Curve> &curves);

} // namespace scxsim
