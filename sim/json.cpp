// SPDX-License-Identifier: GPL-2.0-only
#include "json.h"

#include <cstdlib>

namespace scxsim {

namespace {

const Json kNull;

struct Reader {
	const std::string &s;
	size_t i = 0;
	std::string err;

	void ws()
	{
		while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
			i++;
	}
	bool fail(const std::string &m)
	{
		if (err.empty())
			err = m + " at offset " + std::to_string(i);
		return false;
	}
	bool lit(const char *w)
	{
		size_t n = 0;
		while (w[n])
			n++;
		if (s.compare(i, n, w))
			return fail(std::string("expected ") + w);
		i += n;
		return true;
	}
	bool string(std::string *out)
	{
		if (i >= s.size() || s[i] != '"')
			return fail("expected a string");
		i++;
		while (i < s.size() && s[i] != '"') {
			char c = s[i++];
			if (c == '\\' && i < s.size()) {
				char e = s[i++];
				if (e == 'n')
					c = '\n';
				else if (e == 't')
					c = '\t';
				else if (e == 'u' && i + 4 <= s.size()) {
					c = (char)strtol(s.substr(i, 4).c_str(), nullptr, 16);
					i += 4;
				} else
					c = e;
			}
			*out += c;
		}
		if (i >= s.size())
			return fail("unterminated string");
		i++;
		return true;
	}
	bool value(Json *v, int depth)
	{
		if (depth > 64)
			return fail("nested too deep");
		ws();
		if (i >= s.size())
			return fail("unexpected end");
		char c = s[i];
		if (c == '{') {
			v->type = Json::OBJ;
			i++;
			ws();
			if (i < s.size() && s[i] == '}')
				return ++i, true;
			for (;;) {
				ws();
				std::string k;
				if (!string(&k))
					return false;
				ws();
				if (i >= s.size() || s[i] != ':')
					return fail("expected ':'");
				i++;
				v->obj.push_back({k, Json()});
				if (!value(&v->obj.back().second, depth + 1))
					return false;
				ws();
				if (i < s.size() && s[i] == ',') {
					i++;
					continue;
				}
				if (i < s.size() && s[i] == '}')
					return ++i, true;
				return fail("expected ',' or '}'");
			}
		}
		if (c == '[') {
			v->type = Json::ARR;
			i++;
			ws();
			if (i < s.size() && s[i] == ']')
				return ++i, true;
			for (;;) {
				v->arr.emplace_back();
				if (!value(&v->arr.back(), depth + 1))
					return false;
				ws();
				if (i < s.size() && s[i] == ',') {
					i++;
					continue;
				}
				if (i < s.size() && s[i] == ']')
					return ++i, true;
				return fail("expected ',' or ']'");
			}
		}
		if (c == '"') {
			v->type = Json::STR;
			return string(&v->str);
		}
		if (c == 't' || c == 'f') {
			v->type = Json::BOOL;
			v->b = c == 't';
			return lit(c == 't' ? "true" : "false");
		}
		if (c == 'n')
			return lit("null");
		char *end;
		v->num = strtod(s.c_str() + i, &end);
		if (end == s.c_str() + i)
			return fail("unexpected character");
		v->type = Json::NUM;
		i = (size_t)(end - s.c_str());
		return true;
	}
};

} // namespace

const Json &Json::operator[](const std::string &key) const
{
	for (auto &kv : obj)
		if (kv.first == key)
			return kv.second;
	return kNull;
}

const Json &Json::operator[](size_t i) const
{
	return i < arr.size() ? arr[i] : kNull;
}

bool parse_json(const std::string &text, Json *out, std::string *err)
{
	Reader r{text, 0, {}};
	Json v;
	if (!r.value(&v, 0)) {
		*err = r.err;
		return false;
	}
	r.ws();
	if (r.i != text.size()) {
		*err = "trailing characters at offset " + std::to_string(r.i);
		return false;
	}
	*out = std::move(v);
	return true;
}

} // namespace scxsim
