// SPDX-License-Identifier: GPL-2.0
/*
 * Address and range syntax.  strtoull() is not used: it accepts signs,
 * leading blanks and "0x" with no digits, none of which an operator means.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_hex(const char *digits, const char *text, uint64_t *addr,
		     char *why, size_t why_size)
{
	uint64_t val = 0;
	const char *p;
	int d;

	if (!*digits) {
		snprintf(why, why_size, "'%s' has no hex digits after 0x", text);
		return -EINVAL;
	}
	for (p = digits; *p; p++) {
		d = hex_digit(*p);
		if (d < 0) {
			snprintf(why, why_size,
				 "'%s' is not a hex number (bad character '%c')",
				 text, *p);
			return -EINVAL;
		}
		if (val > (UINT64_MAX >> 4)) {
			snprintf(why, why_size, "'%s' does not fit in 64 bits",
				 text);
			return -ERANGE;
		}
		val = (val << 4) | (uint64_t)d;
	}
	*addr = val;
	return 0;
}

static int parse_decimal(const char *text, uint64_t *addr, char *why,
			 size_t why_size)
{
	uint64_t val = 0, mult = 1;
	const char *p;

	for (p = text; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (val > (UINT64_MAX - d) / 10) {
			snprintf(why, why_size, "'%s' does not fit in 64 bits",
				 text);
			return -ERANGE;
		}
		val = val * 10 + d;
	}
	if (p == text) {
		snprintf(why, why_size,
			 "'%s' is not an address (use hex 0x... or decimal with an optional K, M or G suffix)",
			 text);
		return -EINVAL;
	}
	if (*p) {
		switch (toupper((unsigned char)*p)) {
		case 'K':
			mult = UINT64_C(1) << 10;
			break;
		case 'M':
			mult = UINT64_C(1) << 20;
			break;
		case 'G':
			mult = UINT64_C(1) << 30;
			break;
		default:
			mult = 0;
			break;
		}
		if (!mult || p[1]) {
			snprintf(why, why_size,
				 "'%s' has a bad suffix '%s' (use K, M or G)",
				 text, p);
			return -EINVAL;
		}
		if (val > UINT64_MAX / mult) {
			snprintf(why, why_size, "'%s' does not fit in 64 bits",
				 text);
			return -ERANGE;
		}
	}
	*addr = val * mult;
	return 0;
}

int parse_addr(const char *text, uint64_t *addr, char *why, size_t why_size)
{
	if (!*text) {
		snprintf(why, why_size, "the address is empty");
		return -EINVAL;
	}
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		return parse_hex(text + 2, text, addr, why, why_size);
	return parse_decimal(text, addr, why, why_size);
}

int parse_range(const char *text, struct lc_range *range, char *why,
		size_t why_size)
{
	const char *dash = strchr(text, '-');
	char start_text[64];
	size_t start_len;
	int err;

	if (!dash) {
		snprintf(why, why_size, "expected START-END, e.g. 0x40000000-0x80000000 or 1G-2G");
		return -EINVAL;
	}
	start_len = (size_t)(dash - text);
	if (start_len == 0) {
		snprintf(why, why_size, "the start address is missing (expected START-END)");
		return -EINVAL;
	}
	if (!dash[1]) {
		snprintf(why, why_size, "the end address is missing (expected START-END)");
		return -EINVAL;
	}
	if (start_len >= sizeof(start_text)) {
		snprintf(why, why_size, "the start address is too long");
		return -EINVAL;
	}
	memcpy(start_text, text, start_len);
	start_text[start_len] = '\0';

	err = parse_addr(start_text, &range->start, why, why_size);
	if (err)
		return err;
	err = parse_addr(dash + 1, &range->end, why, why_size);
	if (err)
		return err;
	/*
	 * An empty or inverted range is well-formed syntax: the kernel is the
	 * authority on which ranges it accepts and says why it refuses one.
	 */
	return 0;
}
