// SPDX-License-Identifier: GPL-2.0
/*
 * stats-loop: what one get-stats of the whole linear map costs, from the
 * kernel's counters and from a walk.
 *
 *   stats-loop [N]    N requests of each kind (default 200)
 *
 * Prints one JSON object: for "counters" (no flag: the O(1) answer) and for
 * "walk" (LC_STATS_WALK, CAP_SYS_ADMIN), the median, p99 and maximum time
 * of one request in nanoseconds, wall clock around the netlink round trip,
 * and the leaves the last reply counted.  A benchmark, not a test: it
 * prints figures and fails only when a request fails.
 *
 * Exit status: 0 success, 1 a request failed, 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libcollapse.h>

#include "stress-util.h"

/* Time @n requests into @t (sorted); -1 if one failed. */
static int measure(struct lc_ctx *ctx, unsigned int flags, unsigned long n,
		   uint64_t *t, struct lc_stats *st, const char *name)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();
		int err = lc_get_stats_flags(ctx, NULL, flags, st, sizeof(*st));

		t[i] = now_ns() - t0;
		if (err < 0) {
			fprintf(stderr, "stats-loop: %s: %s\n", name,
				lc_strerror(ctx));
			return -1;
		}
	}
	qsort(t, n, sizeof(*t), cmp_u64);
	return 0;
}

static void print_figures(const char *name, unsigned long n, const uint64_t *t,
			  const struct lc_stats *st)
{
	printf("\"%s\":{\"n\":%lu,\"median_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64
	       ",\"max_ns\":%" PRIu64 ",\"leaves\":%" PRIu64 ",\"walked\":%s}",
	       name, n, t[n / 2], t[(n * 99) / 100], t[n - 1],
	       lc_stats_leaves_total(st), st->walked ? "true" : "false");
}

int main(int argc, char **argv)
{
	unsigned long n = 200;
	struct lc_stats st, walked;
	struct lc_ctx *ctx;
	uint64_t *t, *w;
	char *end;
	int ret = 0;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") ||
				       !strcmp(argv[1], "--help")))) {
		fprintf(stderr, "usage: stats-loop [N]\n");
		return 2;
	}
	if (argc == 2) {
		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno || *end || !n || n > 1000000) {
			fprintf(stderr, "stats-loop: N must be 1..1000000, not '%s'\n",
				argv[1]);
			return 2;
		}
	}
	t = calloc(n, sizeof(*t));
	w = calloc(n, sizeof(*w));
	if (!t || !w) {
		perror("stats-loop");
		free(t);
		free(w);
		return 1;
	}
	if (lc_open(&ctx) < 0) {
		fprintf(stderr, "stats-loop: %s\n", lc_strerror(NULL));
		free(t);
		free(w);
		return 1;
	}
	/* Nothing on stdout unless both kinds were measured. */
	if (measure(ctx, 0, n, t, &st, "counters") < 0 ||
	    measure(ctx, LC_STATS_WALK, n, w, &walked, "walk") < 0) {
		ret = 1;
	} else {
		printf("{");
		print_figures("counters", n, t, &st);
		printf(",");
		print_figures("walk", n, w, &walked);
		printf("}\n");
	}
	lc_close(ctx);
	free(t);
	free(w);
	return ret;
}
