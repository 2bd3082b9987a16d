/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest's measuring programs share: a monotonic clock in
 * nanoseconds and the comparison qsort() sorts their samples with.
 */
#ifndef LINMAP_STRESS_UTIL_H
#define LINMAP_STRESS_UTIL_H

#include <stdint.h>
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

#endif
