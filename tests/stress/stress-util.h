/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest's measuring programs share: a monotonic clock in
 * nanoseconds, the comparison qsort() sorts their samples with, and the
 * parser of their numeric options.
 */
#ifndef LINMAP_STRESS_UTIL_H
#define LINMAP_STRESS_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A whole number in decimal, hex (0x) or octal (0), no sign: into *v. */
static inline bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-')
		return false;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

#endif
