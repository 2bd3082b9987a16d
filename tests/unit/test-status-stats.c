// SPDX-License-Identifier: GPL-2.0
/*
 * Which statistics "collapsectl status" asks for (tools/collapsectl/
 * status-stats.c), against the fake kernel: root walks, a user reads the
 * counters without an error, --counts reads them as root too, a refused
 * walk of the whole map falls back to the counters and says why, and a
 * refused range does not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/linmap.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "status-stats.h"
#include "tap.h"

static struct fk_stats map;

static void answer(const struct nlmsghdr *req, void *arg)
{
	(void)arg;
	fk_answer_stats(req, &map, false);
}

/* A context on the fake kernel, over a map with a walk's figures. */
static struct lc_ctx *fake_ctx(bool admin)
{
	struct lc_ctx *ctx = lc_ctx_new(fk_sock_new(answer, NULL), FK_FAMILY);

	if (!ctx)
		abort();
	memset(&map, 0, sizeof(map));
	map.admin = admin;
	map.leaves[LC_LEVEL_PMD] = 20;
	map.leaves[LC_LEVEL_PTE] = 5000;
	map.invalid = 16;
	map.ideal = 40;
	map.table_pages = 12;
	return ctx;
}

static void test_root_walks_unless_counts(void)
{
	CHECK(status_wants_walk(false, 0));
	CHECK(!status_wants_walk(true, 0));
	CHECK(!status_wants_walk(false, 1000));
	CHECK(!status_wants_walk(true, 1000));
}

static void test_walk_as_admin_sends_the_flag_once(void)
{
	struct lc_ctx *ctx = fake_ctx(true);
	char refusal[256] = "stale";
	struct lc_stats stats;

	CHECK_INT(status_read_stats(ctx, NULL, true, &stats, refusal,
				    sizeof(refusal)), 0);
	CHECK_STR(refusal, "");
	CHECK_INT(map.requests, 1);
	CHECK(map.last_walk_flag);
	CHECK(stats.walked);
	CHECK_U64(stats.ideal_leaves, 40);
	CHECK_U64(stats.invalid, 16);
	lc_close(ctx);
}

/* A user (or --counts): one request, no flag, no error. */
static void test_counters_send_no_flag(void)
{
	struct lc_ctx *ctx = fake_ctx(false);
	char refusal[256];
	struct lc_stats stats;

	CHECK_INT(status_read_stats(ctx, NULL, false, &stats, refusal,
				    sizeof(refusal)), 0);
	CHECK_STR(refusal, "");
	CHECK_INT(map.requests, 1);
	CHECK(!map.last_walk_flag);
	CHECK_INT(map.refused, 0);
	CHECK(!stats.walked);
	CHECK_U64(stats.ideal_leaves, 0);
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], 5000);
	CHECK_STR(lc_strerror(ctx), "");
	lc_close(ctx);
}

/* Root without CAP_SYS_ADMIN (a user namespace): the counters, and why. */
static void test_refused_walk_falls_back_to_the_counters(void)
{
	struct lc_ctx *ctx = fake_ctx(false);
	char refusal[256];
	struct lc_stats stats;

	CHECK_INT(status_read_stats(ctx, NULL, true, &stats, refusal,
				    sizeof(refusal)), 0);
	CHECK_INT(map.requests, 2);
	CHECK_INT(map.refused, 1);
	CHECK(!map.last_walk_flag);
	CHECK_STR(refusal, "get-stats: Operation not permitted: " FK_WALK_NEEDS_ADMIN);
	CHECK(!stats.walked);
	CHECK_U64(stats.leaves[LC_LEVEL_PMD], 20);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

/* A range is always a walk: refused, it is an error, not the counters. */
static void test_refused_range_does_not_fall_back(void)
{
	const struct lc_range range = { 0x40000000, 0x80000000 };
	struct lc_ctx *ctx = fake_ctx(false);
	char refusal[256];
	struct lc_stats stats;

	CHECK_INT(status_read_stats(ctx, &range, true, &stats, refusal,
				    sizeof(refusal)), -EPERM);
	CHECK_INT(map.requests, 1);
	CHECK_STR(refusal, "");
	CHECK_STR(lc_strerror(ctx), "get-stats: Operation not permitted: " FK_RANGE_NEEDS_ADMIN);
	CHECK_INT(status_read_stats(ctx, &range, false, &stats, refusal,
				    sizeof(refusal)), -EPERM);
	CHECK_INT(map.requests, 2);
	lc_close(ctx);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_root_walks_unless_counts),
	TAP_TEST(test_walk_as_admin_sends_the_flag_once),
	TAP_TEST(test_counters_send_no_flag),
	TAP_TEST(test_refused_walk_falls_back_to_the_counters),
	TAP_TEST(test_refused_range_does_not_fall_back),
};

TAP_MAIN(tests)
