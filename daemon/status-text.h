/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-line status a person reads in `systemctl status collapsed`
 * (sd_notify STATUS=) and in the JSON document's "status" key:
 *   "idle: linear map restored (1.00)"
 *   "waiting 5s for splits to stop"
 *   "collapsing: step 3, 120 tables freed"
 *   "degraded: kernel has no linmap family"
 */
#ifndef COLLAPSED_STATUS_TEXT_H
#define COLLAPSED_STATUS_TEXT_H

#include <stddef.h>

#include "policy.h"

void status_text(char *buf, size_t size, const struct policy *p);

#endif /* COLLAPSED_STATUS_TEXT_H */
