// SPDX-License-Identifier: GPL-2.0
/*
 * Count syntax.  strtoull() is not used, for the reasons range.c gives:
 * it takes signs, blanks and other bases an operator does not mean.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "count.h"

int parse_count(const char *text, uint64_t min, uint64_t *count, char *why,
		size_t why_size)
{
	uint64_t val = 0;
	const char *p;

	if (!*text) {
		snprintf(why, why_size, "the number is empty");
		return -EINVAL;
	}
	for (p = text; *p; p++) {
		unsigned int d;

		if (!isdigit((unsigned char)*p)) {
			snprintf(why, why_size,
				 "'%s' is not a number (use decimal digits)",
				 text);
			return -EINVAL;
		}
		d = (unsigned int)(*p - '0');
		if (val > (UINT64_MAX - d) / 10) {
			snprintf(why, why_size, "'%s' does not fit in 64 bits",
				 text);
			return -ERANGE;
		}
		val = val * 10 + d;
	}
	if (val < min) {
		snprintf(why, why_size, "'%s' is below the minimum of %" PRIu64,
			 text, min);
		return -ERANGE;
	}
	*count = val;
	return 0;
}
