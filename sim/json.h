// SPDX-License-Identifier: GPL-2.0-only
// A small JSON reader for the simulator's own reports (scx-sim svg, tests).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace scxsim {

struct Json {
	enum Type { NUL, BOOL, NUM, STR, ARR, OBJ } type = NUL;
	bool b = false;
	double num = 0;
	std::string str;
	std::vector<Json> arr;
	std::vector<std::pair<std::string, Json>> obj;

	// The member @key of an object (a null value if absent).
	const Json &operator[](const std::string &key) const;
	const Json &operator[](size_t i) const;
	size_t size() const { return type == ARR ? arr.size() : obj.size(); }
};

// Parse @text; on error returns false and sets @err.
bool parse_json(const std::string &text, Json *out, std::string *err);

} // namespace scxsim
