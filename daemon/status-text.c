// SPDX-License-Identifier: GPL-2.0
/*
 * Status line for people.  It depends on the state only, not on the clock,
 * so the daemon sends it when the state changes and never on a timer.
 */
#include <inttypes.h>
#include <stdio.h>

#include "duration.h"
#include "status-text.h"

void status_text(char *buf, size_t size, const struct policy *p)
{
	char quiet[32];

	duration_format(quiet, sizeof(quiet), policy_quiet_in_force(p));
	switch (p->state) {
	case POLICY_STARTING:
		snprintf(buf, size, "starting");
		break;
	case POLICY_DEGRADED:
		snprintf(buf, size, "degraded: %s", p->degraded_reason);
		break;
	case POLICY_IDLE:
		if (!p->has_stats || !p->ideal)
			snprintf(buf, size, "idle: waiting for splits");
		else if (policy_gain(p) == 0)
			snprintf(buf, size, "idle: linear map restored (%.2f)",
				 (double)p->leaves / (double)p->ideal);
		else
			snprintf(buf, size,
				 "idle: restoration %.2f, %" PRIu64 " leaves to gain (min_gain %" PRIu64 ")",
				 (double)p->leaves / (double)p->ideal,
				 policy_gain(p), p->min_gain);
		break;
	case POLICY_SETTLING:
		if (p->backoff_level)
			snprintf(buf, size,
				 "backoff: waiting %s for splits to stop (ping-pong level %u)",
				 quiet, p->backoff_level);
		else
			snprintf(buf, size, "waiting %s for splits to stop",
				 quiet);
		break;
	case POLICY_CHECKING:
		snprintf(buf, size, "checking what a collapse would gain");
		break;
	case POLICY_COLLAPSING:
		snprintf(buf, size, "collapsing: step %u, %" PRIu64 " tables freed",
			 p->steps + 1, p->run.tables_freed);
		break;
	}
}
