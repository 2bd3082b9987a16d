/* SPDX-License-Identifier: GPL-2.0 */
/*
 * collapsed's metrics file for node_exporter's textfile collector
 * ([metrics] textfile): the linear map as the daemon last saw it (linmap_*,
 * as `collapsectl status --format=prometheus` prints them) and the
 * daemon's own state and totals (collapsed_*).  docs/collapsed.md lists
 * every metric.
 */
#ifndef COLLAPSED_STATUS_METRICS_H
#define COLLAPSED_STATUS_METRICS_H

#include "metrics.h"
#include "status-json.h"

/*
 * The metrics for @view in @dialect, as a NUL-terminated string (free()
 * it); NULL on ENOMEM.  Nothing in it changes unless the daemon's state or
 * what it knows of the kernel does, so an unchanged text need not be
 * written again.
 */
char *status_metrics(const struct status_view *view,
		     enum metrics_dialect dialect);

/*
 * Write @text to @path atomically: a temporary file in the same directory,
 * mode 0644 (node_exporter runs as another user), renamed over @path.
 * 0 or a negative errno; @path is never left half written.
 */
int status_metrics_write(const char *path, const char *text);

#endif /* COLLAPSED_STATUS_METRICS_H */
