/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counts as an operator types them (--budget N, --count N): plain decimal
 * digits, nothing else.
 */
#ifndef COLLAPSECTL_COUNT_H
#define COLLAPSECTL_COUNT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse a count of at least @min.  Returns 0, or -EINVAL / -ERANGE with the
 * reason in @why (a phrase such as "'12x' is not a number").
 */
int parse_count(const char *text, uint64_t min, uint64_t *count, char *why,
		size_t why_size);

#endif /* COLLAPSECTL_COUNT_H */
