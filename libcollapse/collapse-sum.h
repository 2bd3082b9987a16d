/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBCOLLAPSE_COLLAPSE_SUM_H
#define LIBCOLLAPSE_COLLAPSE_SUM_H

#include <stdbool.h>

#include "libcollapse.h"

/* Add one step's result to @sum; @first: the step that started the run. */
void lc_collapse_result_add(struct lc_collapse_result *sum,
			    const struct lc_collapse_result *step, bool first);

#endif
