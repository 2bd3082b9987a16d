// SPDX-License-Identifier: GPL-2.0
/*
 * Durations: a sequence of NUMBER UNIT groups ("1h 30min"), each number a
 * non-negative integer.  No fractions: "1.5s" is written "1500ms".
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

struct duration_unit {
	const char *name;
	uint64_t ns;
};

/* Longest names first where one is a prefix of another ("ms" vs "m"). */
static const struct duration_unit duration_units[] = {
	{ "ms",		NSEC_PER_MSEC },
	{ "msec",	NSEC_PER_MSEC },
	{ "s",		NSEC_PER_SEC },
	{ "sec",	NSEC_PER_SEC },
	{ "min",	60 * NSEC_PER_SEC },
	{ "m",		60 * NSEC_PER_SEC },
	{ "h",		3600 * NSEC_PER_SEC },
	{ "hour",	3600 * NSEC_PER_SEC },
	{ "d",		86400 * NSEC_PER_SEC },
	{ "day",	86400 * NSEC_PER_SEC },
};

static const struct duration_unit *duration_unit_find(const char *name,
						      size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++)
		if (strlen(duration_units[i].name) == len &&
		    !strncmp(duration_units[i].name, name, len))
			return &duration_units[i];
	return NULL;
}

int duration_parse(const char *text, uint64_t *ns, char *why, size_t why_size)
{
	const char *p = text;
	uint64_t total = 0;
	bool any = false;

	for (;;) {
		const struct duration_unit *unit;
		uint64_t num = 0, mult = NSEC_PER_SEC;
		const char *unit_start;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (!isdigit((unsigned char)*p)) {
			snprintf(why, why_size,
				 "'%s' is not a duration (expected e.g. 250ms, 5s, 10min, 1h)",
				 text);
			return -EINVAL;
		}
		while (isdigit((unsigned char)*p)) {
			if (num > (UINT64_MAX - 9) / 10)
				goto too_big;
			num = num * 10 + (uint64_t)(*p++ - '0');
		}
		unit_start = p;
		while (isalpha((unsigned char)*p))
			p++;
		if (p != unit_start) {
			unit = duration_unit_find(unit_start, p - unit_start);
			if (!unit) {
				snprintf(why, why_size,
					 "unknown unit '%.*s' in '%s' (use ms, s, min, h or d)",
					 (int)(p - unit_start), unit_start, text);
				return -EINVAL;
			}
			mult = unit->ns;
		}
		if (num && mult > UINT64_MAX / num)
			goto too_big;
		if (total > UINT64_MAX - num * mult)
			goto too_big;
		total += num * mult;
		any = true;
	}
	if (!any) {
		snprintf(why, why_size,
			 "empty duration (expected e.g. 250ms, 5s, 10min, 1h)");
		return -EINVAL;
	}
	*ns = total;
	return 0;

too_big:
	snprintf(why, why_size, "'%s' is too long a duration", text);
	return -ERANGE;
}

void duration_format(char *buf, size_t size, uint64_t ns)
{
	static const struct duration_unit parts[] = {
		{ "d",		86400 * NSEC_PER_SEC },
		{ "h",		3600 * NSEC_PER_SEC },
		{ "min",	60 * NSEC_PER_SEC },
		{ "s",		NSEC_PER_SEC },
		{ "ms",		NSEC_PER_MSEC },
	};
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && len < size; i++) {
		uint64_t n = ns / parts[i].ns;

		if (!n)
			continue;
		ns -= n * parts[i].ns;
		len += snprintf(buf + len, size - len, "%s%" PRIu64 "%s",
				len ? " " : "", n, parts[i].name);
	}
	if (!len)
		snprintf(buf, size, ns ? "<1ms" : "0");
}
