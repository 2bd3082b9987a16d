// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the small parsers of outside text: durations (collapsed.conf),
 * physical addresses and ranges, and counts (collapsectl's options).  The
 * first byte picks the parser; the rest, NUL-terminated, is the text.
 * Whatever the input, a parser returns 0 or a negative errno with a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libcollapse.h>

#include "count.h"
#include "duration.h"
#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[160] = "", *text;
	struct lc_range range;
	uint64_t v;
	int err;

	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		err = duration_parse(text, &v, why, sizeof(why));
		if (!err) {
			char buf[64];

			duration_format(buf, sizeof(buf), v);
		}
		break;
	case 1:
		err = parse_addr(text, &v, why, sizeof(why));
		break;
	case 2:
		/* an inverted range is accepted: the kernel says why it refuses */
		err = parse_range(text, &range, why, sizeof(why));
		break;
	default:
		err = parse_count(text, 1, &v, why, sizeof(why));
		break;
	}
	if (err && !why[0])
		__builtin_trap();	/* a refusal must say why */
	free(text);
	return 0;
}
