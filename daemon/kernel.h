/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's side of the conversation with the kernel: each function
 * carries out one policy action (or reads the events) through libcollapse
 * and feeds what the kernel said back to the policy.  The main loop owns
 * the epoll set; it adds lc_events_fd() after a successful probe.
 */
#ifndef COLLAPSED_KERNEL_H
#define COLLAPSED_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <libcollapse.h>

#include "config.h"
#include "policy.h"

/* How to open the family: lc_open()/lc_events_open(), or a test's fakes. */
struct kernel_openers {
	int (*open)(struct lc_ctx **ctx);
	int (*events_open)(struct lc_events **evs);
};

struct kernel {
	const struct kernel_openers *openers;
	struct lc_ctx *ctx;		/* requests; NULL while degraded */
	struct lc_events *evs;		/* split/collapse events */
	bool has_caps, has_stats;
	struct lc_caps caps;		/* from the latest probe */
	struct lc_stats stats;		/* from the latest get-stats that
					 * answered (a walk) */
	char last_error[CONFIG_ERROR_MAX];	/* "" if none yet */
	char degraded_logged[POLICY_REASON_MAX];	/* said once */
};

/* @openers NULL: the real ones. */
void kernel_init(struct kernel *k, const struct kernel_openers *openers);

/* Close the sockets (the events fd leaves any epoll set by closing). */
void kernel_close(struct kernel *k);

/*
 * POLICY_ACT_PROBE: open the family, read get-caps, join the events group.
 * Returns true when subscribed (add lc_events_fd(k->evs) to the loop);
 * false when degraded (the reason is logged once and given to the policy).
 */
bool kernel_probe(struct kernel *k, struct policy *p, uint64_t now);

/*
 * POLICY_ACT_GET_STATS: a walk of the whole map (the policy needs the
 * ideal).  Refused for want of CAP_SYS_ADMIN, the daemon is degraded.
 */
void kernel_get_stats(struct kernel *k, struct policy *p, uint64_t now);

/* POLICY_ACT_COLLAPSE: one step. */
void kernel_collapse_step(struct kernel *k, struct policy *p, uint64_t now,
			  const struct lc_collapse_req *req);

/*
 * The events socket is readable: read up to a bounded number of events
 * and feed them (splits, lost events) to the policy.
 */
void kernel_read_events(struct kernel *k, struct policy *p, uint64_t now);

#endif /* COLLAPSED_KERNEL_H */
