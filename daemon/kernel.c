// SPDX-License-Identifier: GPL-2.0
/*
 * Requests to the kernel and events from it, on behalf of the policy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "log.h"

#define KERNEL_EVENTS_PER_WAKEUP	64

static const struct kernel_openers kernel_real_openers = {
	.open = lc_open,
	.events_open = lc_events_open,
};

void kernel_init(struct kernel *k, const struct kernel_openers *openers)
{
	memset(k, 0, sizeof(*k));
	k->openers = openers ? openers : &kernel_real_openers;
}

void kernel_close(struct kernel *k)
{
	lc_events_close(k->evs);
	k->evs = NULL;
	lc_close(k->ctx);
	k->ctx = NULL;
}

static void kernel_error(struct kernel *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void kernel_error(struct kernel *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->last_error, sizeof(k->last_error), fmt, ap);
	va_end(ap);
	log_err("%s", k->last_error);
}

/* Say why once; the same reason again after a re-probe is debug. */
static void kernel_say_degraded(struct kernel *k, const char *reason)
{
	if (strcmp(reason, k->degraded_logged)) {
		struct log_field f[1];

		log_field_str(&f[0], "LINMAP_REASON", reason);
		log_event(LOG_ID_DEGRADED, SD_WARNING, f, 1,
			  "degraded: %s; not collapsing, re-probing on SIGHUP and every resync_interval",
			  reason);
		snprintf(k->degraded_logged, sizeof(k->degraded_logged), "%s",
			 reason);
	} else {
		log_debug("still degraded: %s", reason);
	}
}

static bool kernel_degraded(struct kernel *k, struct policy *p, uint64_t now,
			    const char *reason)
{
	kernel_close(k);
	kernel_say_degraded(k, reason);
	policy_on_degraded(p, now, reason);
	return false;
}

bool kernel_probe(struct kernel *k, struct policy *p, uint64_t now)
{
	char reason[POLICY_REASON_MAX];
	int err;

	kernel_close(k);
	err = k->openers->open(&k->ctx);
	if (err == LC_ERR_NO_FAMILY)
		return kernel_degraded(k, p, now, "kernel has no linmap family (the linmap-collapse series is not applied or CONFIG_ARM64_LINMAP is off)");
	if (err) {
		snprintf(reason, sizeof(reason), "%s", lc_strerror(NULL));
		return kernel_degraded(k, p, now, reason);
	}
	err = lc_get_caps(k->ctx, &k->caps, sizeof(k->caps));
	if (err) {
		snprintf(reason, sizeof(reason), "%s", lc_strerror(k->ctx));
		return kernel_degraded(k, p, now, reason);
	}
	k->has_caps = true;
	if (!k->caps.bbml3 || !k->caps.block_capable) {
		snprintf(reason, sizeof(reason), "system cannot collapse: %s",
			 k->caps.reason[0] ? k->caps.reason :
			 !k->caps.bbml3 ? "the CPUs lack BBML3" :
					  "the linear map is not block-capable");
		return kernel_degraded(k, p, now, reason);
	}
	err = k->openers->events_open(&k->evs);
	if (err) {
		snprintf(reason, sizeof(reason), "%s%s",
			 err == -EOPNOTSUPP ? "kernel sends no split events: " : "",
			 lc_strerror(NULL));
		return kernel_degraded(k, p, now, reason);
	}
	if (k->degraded_logged[0])
		log_notice("no longer degraded: the kernel can collapse");
	k->degraded_logged[0] = '\0';
	log_info("subscribed to linmap events (granule %" PRIu32 ", BBML3, block-capable%s)",
		 k->caps.granule,
		 k->caps.pingpong_msecs ? ", minimum ages" : "");
	policy_set_min_age_supported(p, k->caps.pingpong_msecs != 0);
	policy_on_probe_ok(p, now);
	return true;
}

/*
 * After these failures of a request the socket may be out of step with the
 * kernel (an ack that never came, a reply or an ack lost to an overrun):
 * a fresh socket is the only sure way back.  Returns false when the family
 * cannot be opened again (then degraded).
 */
static bool kernel_reopen_after(struct kernel *k, struct policy *p,
				uint64_t now, int err)
{
	char reason[POLICY_REASON_MAX];
	int ret;

	if (err != -EIO && err != -EPROTO && err != -ENOBUFS)
		return true;
	lc_close(k->ctx);
	k->ctx = NULL;
	ret = k->openers->open(&k->ctx);
	if (ret) {
		snprintf(reason, sizeof(reason),
			 "cannot reopen the linmap socket after a failed request: %s",
			 lc_strerror(NULL));
		log_err("%s", reason);
		kernel_degraded(k, p, now, reason);
		return false;
	}
	log_notice("reopened the linmap request socket after: %s",
		   k->last_error);
	return true;
}

/*
 * Every get-stats the policy asks for is a walk: its answer decides the
 * gain (leaves - ideal against min_gain) or, after a probe or a collapse,
 * is the restoration the status, the STATUS= line and the metrics show.
 * None of them can do with the kernel's counters alone, which have no
 * ideal.  The walk needs CAP_SYS_ADMIN, as a collapse does: refused, the
 * daemon cannot work, and is degraded as for a refused collapse.
 */
void kernel_get_stats(struct kernel *k, struct policy *p, uint64_t now)
{
	struct lc_stats stats;
	int err = lc_get_stats_flags(k->ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats));

	/* A failure keeps the last answer in the status (not zeroes). */
	if (err < 0) {
		kernel_error(k, "%s", lc_strerror(k->ctx));
		if (err == -EPERM) {
			log_err("walking the linear map needs CAP_SYS_ADMIN: run collapsed as root or with AmbientCapabilities=CAP_SYS_ADMIN");
			kernel_degraded(k, p, now, k->last_error);
			return;
		}
		if (kernel_reopen_after(k, p, now, err))
			policy_on_stats_failed(p, now);
		return;
	}
	k->stats = stats;
	k->has_stats = true;
	policy_on_stats(p, now, &k->stats);
}

static void kernel_log_collapse(const struct policy *p)
{
	const struct lc_collapse_result *r = &p->last;
	struct log_field f[12];
	uint64_t folds = 0;
	int i, n = 0;

	for (i = 0; i < LC_LEVEL_NR; i++)
		folds += r->folds[i];
	log_field_u64(&f[n++], "LINMAP_STEPS", p->last_steps);
	log_field_u64(&f[n++], "LINMAP_TABLES_SCANNED", r->tables_scanned);
	log_field_u64(&f[n++], "LINMAP_FOLDS", folds);
	log_field_u64(&f[n++], "LINMAP_FOLDS_PUD", r->folds[LC_LEVEL_PUD]);
	log_field_u64(&f[n++], "LINMAP_FOLDS_CONT_PMD", r->folds[LC_LEVEL_CONT_PMD]);
	log_field_u64(&f[n++], "LINMAP_FOLDS_PMD", r->folds[LC_LEVEL_PMD]);
	log_field_u64(&f[n++], "LINMAP_FOLDS_CONT_PTE", r->folds[LC_LEVEL_CONT_PTE]);
	log_field_u64(&f[n++], "LINMAP_TABLES_FREED", r->tables_freed);
	log_field_u64(&f[n++], "LINMAP_BYTES_FREED", r->bytes_freed);
	log_field_u64(&f[n++], "LINMAP_NSECS", r->nsecs);
	log_field_u64(&f[n++], "LINMAP_INTERRUPTED", p->last_interrupted);
	/* Split tracking: a kernel without it does not count regions. */
	if (r->has_regions_scanned)
		log_field_u64(&f[n++], "LINMAP_REGIONS_SCANNED",
			      r->regions_scanned);
	log_event(LOG_ID_COLLAPSE_DONE, SD_INFO, f, n,
		 "collapse done in %u steps: %" PRIu64 " tables scanned, %" PRIu64
		 " leaves created (pud %" PRIu64 ", cont_pmd %" PRIu64 ", pmd %" PRIu64
		 ", cont_pte %" PRIu64 "), %" PRIu64 " tables freed (%" PRIu64 " bytes)",
		 p->last_steps, r->tables_scanned,
		 r->folds[LC_LEVEL_PUD] + r->folds[LC_LEVEL_CONT_PMD] +
		 r->folds[LC_LEVEL_PMD] + r->folds[LC_LEVEL_CONT_PTE],
		 r->folds[LC_LEVEL_PUD], r->folds[LC_LEVEL_CONT_PMD],
		 r->folds[LC_LEVEL_PMD], r->folds[LC_LEVEL_CONT_PTE],
		 r->tables_freed, r->bytes_freed);
}

void kernel_collapse_step(struct kernel *k, struct policy *p, uint64_t now,
			  const struct lc_collapse_req *req)
{
	struct lc_collapse_result result;
	uint64_t collapses = p->collapses;
	int err;

	err = lc_collapse(k->ctx, req, sizeof(*req), &result, sizeof(result));
	if (err < 0) {
		kernel_error(k, "%s", lc_strerror(k->ctx));
		if (err == -EPERM)
			log_err("collapse needs CAP_SYS_ADMIN: run collapsed as root or with AmbientCapabilities=CAP_SYS_ADMIN");
		/* The policy turns these two into degraded mode. */
		if (err == -EOPNOTSUPP || err == -EPERM) {
			kernel_close(k);
			kernel_say_degraded(k, k->last_error);
		}
		if (kernel_reopen_after(k, p, now, err))
			policy_on_step_failed(p, now, err, k->last_error);
		return;
	}
	policy_on_step(p, now, &result);
	if (p->collapses != collapses)
		kernel_log_collapse(p);
}

void kernel_read_events(struct kernel *k, struct policy *p, uint64_t now)
{
	struct lc_event ev;
	int n, ret;

	/* Bounded; epoll is level-triggered, so the rest comes next round. */
	for (n = 0; n < KERNEL_EVENTS_PER_WAKEUP && k->evs; n++) {
		ret = lc_events_read(k->evs, &ev, sizeof(ev));
		if (ret == 0)
			return;
		if (ret == 1 && ev.type == LC_EVENT_SPLIT &&
		    !ev.split.new_splits && ev.split.has_changes &&
		    ev.split.new_changes) {
			log_debug("change event: %" PRIu64 " new attribute changes",
				  ev.split.new_changes);
			policy_on_change(p, now);
		} else if (ret == 1 && ev.type == LC_EVENT_SPLIT) {
			log_debug("split event: %" PRIu64 " new splits",
				  ev.split.new_splits);
			policy_on_split(p, now, ev.split.new_splits);
		} else if (ret == 1) {
			log_debug("collapse event: %" PRIu64 " tables freed",
				  ev.collapse.tables_freed);
		} else if (ret == -ENOBUFS) {
			struct log_field f[1];

			policy_on_lost_events(p, now);
			log_field_u64(&f[0], "LINMAP_LOST_EVENTS", p->lost_events);
			log_event(LOG_ID_EVENTS_LOST, SD_NOTICE, f, 1,
				  "linmap events were lost (socket overrun); resynchronising from get-stats");
		} else if (ret == -EPROTO) {
			log_warning("%s", lc_events_strerror(k->evs));
		} else {
			kernel_error(k, "events: %s", lc_events_strerror(k->evs));
			kernel_degraded(k, p, now, k->last_error);
		}
	}
}
