/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status document the endpoint serves: one JSON object, built with
 * cJSON.  Its keys are an interface (collapsectl daemon, scripts): keys are
 * only ever added; a change of meaning bumps STATUS_SCHEMA.  docs/collapsed.md
 * lists every key.
 */
#ifndef COLLAPSED_STATUS_JSON_H
#define COLLAPSED_STATUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libcollapse.h>

#include "config.h"
#include "policy.h"

#define STATUS_SCHEMA	1

/* Everything the document shows, gathered by the main loop. */
struct status_view {
	const char *version;			/* the daemon's */
	const struct policy *policy;
	const struct collapsed_config *config;
	const char *config_path;
	const struct lc_caps *caps;		/* NULL: not known */
	const struct lc_stats *stats;		/* NULL: not known */
	const char *last_error;			/* NULL or "": none */
	uint64_t now;				/* CLOCK_MONOTONIC ns */
	double now_real;			/* CLOCK_REALTIME s, same instant */
	uint64_t started;			/* CLOCK_MONOTONIC ns */
	uint64_t cpu_nsecs;			/* the daemon's CPU time, user + system */
	/*
	 * The peer is root: physical addresses (the policy's cursor, the
	 * addresses in last_error and degraded_reason) are shown.  Others
	 * get null and STATUS_ADDRESS_HIDDEN: the physical memory layout is
	 * what /proc/iomem hides from them too.
	 */
	bool show_addresses;
};

#define STATUS_ADDRESS_HIDDEN	"(address hidden)"

/* @s with every 0x... number replaced by STATUS_ADDRESS_HIDDEN. */
void status_hide_addresses(char *dst, size_t size, const char *s);

/* The document as a NUL-terminated string (free() it), NULL on ENOMEM. */
char *status_json(const struct status_view *view);

#endif /* COLLAPSED_STATUS_JSON_H */
