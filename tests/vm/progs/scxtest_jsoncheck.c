// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_jsoncheck: validate JSON Lines (one JSON text per line) on stdin,
 * for tools' output such as scx_interactive --stats-json. There is no python
 * in the test VM.
 *
 *   scxtest_jsoncheck [-m MIN_LINES] [-k KEY]... < FILE
 *
 * Every non-empty line must be exactly one JSON object (RFC 8259: strings
 * with escapes, numbers, literals, nested arrays and objects), holding every
 * KEY at its top level. Prints "jsoncheck: N objects ok" and exits 0, or
 * prints the first problem (line, column, what) and exits 1; 2 on bad usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 64
#define MAX_DEPTH 64
#define MAX_LINE (1 << 20)

struct parser {
	const char *s; /* the line */
	size_t i;
	const char *err;
	int depth;
	/* top-level keys seen, as offsets into the line (between the quotes) */
	size_t key_off[256], key_len[256];
	int nr_keys;
};

static bool value(struct parser *p);

static void ws(struct parser *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r' || p->s[p->i] == '\n')
		p->i++;
}

static bool fail(struct parser *p, const char *what)
{
	if (!p->err)
		p->err = what;
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool string(struct parser *p)
{
	if (p->s[p->i] != '"')
		return fail(p, "expected a string");
	p->i++;
	for (;;) {
		unsigned char c = (unsigned char)p->s[p->i];
		if (c == '"') {
			p->i++;
			return true;
		}
		if (c < 0x20)
			return fail(p, c ? "control character in a string" : "unterminated string");
		if (c == '\\') {
			char e = p->s[++p->i];
			if (e == 'u') {
				for (int k = 1; k <= 4; k++)
					if (!is_hex(p->s[p->i + (size_t)k]))
						return fail(p, "bad \\u escape");
				p->i += 4;
			} else if (!strchr("\"\\/bfnrt", e) || !e) {
				return fail(p, "bad escape");
			}
		}
		p->i++;
	}
}

static bool digits(struct parser *p)
{
	if (p->s[p->i] < '0' || p->s[p->i] > '9')
		return fail(p, "expected a digit");
	while (p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return true;
}

static bool number(struct parser *p)
{
	if (p->s[p->i] == '-')
		p->i++;
	if (p->s[p->i] == '0') {
		p->i++;
		if (p->s[p->i] >= '0' && p->s[p->i] <= '9')
			return fail(p, "leading zero in a number");
	} else if (!digits(p)) {
		return false;
	}
	if (p->s[p->i] == '.') {
		p->i++;
		if (!digits(p))
			return false;
	}
	if (p->s[p->i] == 'e' || p->s[p->i] == 'E') {
		p->i++;
		if (p->s[p->i] == '+' || p->s[p->i] == '-')
			p->i++;
		if (!digits(p))
			return false;
	}
	return true;
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(p->s + p->i, word, n))
		return fail(p, "unexpected character");
	p->i += n;
	return true;
}

static bool object(struct parser *p)
{
	bool top = p->depth == 1;

	p->i++; /* '{' */
	ws(p);
	if (p->s[p->i] == '}') {
		p->i++;
		return true;
	}
	for (;;) {
		ws(p);
		size_t start = p->i + 1;
		if (!string(p))
			return false;
		if (top && p->nr_keys < 256) {
			p->key_off[p->nr_keys] = start;
			p->key_len[p->nr_keys] = p->i - 1 - start;
			p->nr_keys++;
		}
		ws(p);
		if (p->s[p->i] != ':')
			return fail(p, "expected ':'");
		p->i++;
		if (!value(p))
			return false;
		ws(p);
		if (p->s[p->i] == '}') {
			p->i++;
			return true;
		}
		if (p->s[p->i] != ',')
			return fail(p, "expected ',' or '}'");
		p->i++;
	}
}

static bool array(struct parser *p)
{
	p->i++; /* '[' */
	ws(p);
	if (p->s[p->i] == ']') {
		p->i++;
		return true;
	}
	for (;;) {
		if (!value(p))
			return false;
		ws(p);
		if (p->s[p->i] == ']') {
			p->i++;
			return true;
		}
		if (p->s[p->i] != ',')
			return fail(p, "expected ',' or ']'");
		p->i++;
	}
}

static bool value(struct parser *p)
{
	bool ok;

	ws(p);
	if (++p->depth > MAX_DEPTH)
		return fail(p, "nested too deeply");
	switch (p->s[p->i]) {
	case '{': ok = object(p); break;
	case '[': ok = array(p); break;
	case '"': ok = string(p); break;
	case 't': ok = literal(p, "true"); break;
	case 'f': ok = literal(p, "false"); break;
	case 'n': ok = literal(p, "null"); break;
	case '\0': ok = fail(p, "unexpected end of line"); break;
	default:
		ok = (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9')) ? number(p)
			: fail(p, "unexpected character");
	}
	p->depth--;
	return ok;
}

static bool has_key(const struct parser *p, const char *key)
{
	size_t n = strlen(key);
	for (int k = 0; k < p->nr_keys; k++)
		if (p->key_len[k] == n && !memcmp(p->s + p->key_off[k], key, n))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *keys[MAX_KEYS];
	int nr_keys = 0;
	long min_lines = 1;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-k") && a + 1 < argc && nr_keys < MAX_KEYS) {
			keys[nr_keys++] = argv[++a];
		} else if (!strcmp(argv[a], "-m") && a + 1 < argc) {
			char *end;
			min_lines = strtol(argv[++a], &end, 10);
			if (*end || min_lines < 0)
				goto usage;
		} else {
			goto usage;
		}
	}

	static char line[MAX_LINE];
	long lineno = 0, objects = 0;
	while (fgets(line, sizeof(line), stdin)) {
		size_t len = strlen(line);
		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			printf("jsoncheck: line %ld: longer than %d bytes\n", lineno, MAX_LINE - 2);
			return 1;
		}
		struct parser p = {.s = line};
		ws(&p);
		if (!line[p.i])
			continue; /* empty line */
		if (line[p.i] != '{') {
			printf("jsoncheck: line %ld col %zu: not a JSON object\n", lineno, p.i + 1);
			return 1;
		}
		if (value(&p)) {
			ws(&p);
			if (line[p.i])
				fail(&p, "text after the object");
		}
		if (p.err) {
			printf("jsoncheck: line %ld col %zu: %s\n", lineno, p.i + 1, p.err);
			return 1;
		}
		for (int k = 0; k < nr_keys; k++) {
			if (!has_key(&p, keys[k])) {
				printf("jsoncheck: line %ld: no key \"%s\"\n", lineno, keys[k]);
				return 1;
			}
		}
		objects++;
	}
	if (objects < min_lines) {
		printf("jsoncheck: %ld objects, expected at least %ld\n", objects, min_lines);
		return 1;
	}
	printf("jsoncheck: %ld objects ok\n", objects);
	return 0;
usage:
	fprintf(stderr, "usage: scxtest_jsoncheck [-m MIN_LINES] [-k KEY]... < FILE\n");
	return 2;
}
