/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical addresses and ranges as an operator types them: hex (0x40000000)
 * or decimal with an optional binary K, M or G suffix (512M, 1G).
 */
#ifndef COLLAPSECTL_RANGE_H
#define COLLAPSECTL_RANGE_H

#include <stddef.h>
#include <stdint.h>

#include <libcollapse.h>

/*
 * Parse one address.  Returns 0, or -EINVAL / -ERANGE with the reason in
 * @why (a phrase such as "'0xZZ' is not a hex number").
 */
int parse_addr(const char *text, uint64_t *addr, char *why, size_t why_size);

/*
 * Parse START-END into @range ([start, end)).  Only the syntax and
 * end > start are checked here: alignment and bounds are the kernel's call.
 * Returns 0, or -EINVAL / -ERANGE with the reason in @why.
 */
int parse_range(const char *text, struct lc_range *range, char *why,
		size_t why_size);

#endif /* COLLAPSECTL_RANGE_H */
