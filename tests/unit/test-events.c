// SPDX-License-Identifier: GPL-2.0
/*
 * Events: notifications of the "events" group decoded from real libnl
 * buffers, and lc_events_read() over a fake socket, including the lost
 * events (ENOBUFS) that libnl reports as NLE_NOMEM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

/* A split event as the kernel's linmap_split_event_fn() builds it. */
static struct nl_msg *split_event(uint64_t base, uint64_t new_splits)
{
	struct nl_msg *msg = fk_event_new(LINMAP_CMD_SPLIT_NTF);
	uint32_t level;

	for (level = LINMAP_LEAF_LEVEL_PUD; level <= LINMAP_LEAF_LEVEL_PTE;
	     level++)
		fk_put_count_nest(msg, LINMAP_A_SPLIT_EVENT_SPLITS,
				  LINMAP_A_LEVEL_COUNT_LEVEL, level,
				  LINMAP_A_LEVEL_COUNT_COUNT, base + level,
				  LINMAP_A_LEVEL_COUNT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_NEW_SPLITS, new_splits,
			 LINMAP_A_SPLIT_EVENT_PAD);
	return msg;
}

/* A collapse event: the counts, no addresses. */
static struct nl_msg *collapse_event(uint64_t tables_scanned)
{
	struct nl_msg *msg = fk_event_new(LINMAP_CMD_COLLAPSE_NTF);
	const int pad = LINMAP_A_COLLAPSE_PAD;
	uint32_t i;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_SCANNED, tables_scanned,
			 pad);
	for (i = LINMAP_LEAF_LEVEL_PUD; i <= LINMAP_LEAF_LEVEL_PTE; i++)
		fk_put_count_nest(msg, LINMAP_A_COLLAPSE_FOLDS,
				  LINMAP_A_LEVEL_COUNT_LEVEL, i,
				  LINMAP_A_LEVEL_COUNT_COUNT, i * 2,
				  LINMAP_A_LEVEL_COUNT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_FREED, 3, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_BYTES_FREED, 3 * 4096, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NSECS, 12345, pad);
	for (i = LINMAP_SKIP_REASON_INVALID; i <= LINMAP_SKIP_REASON_BUDGET; i++)
		fk_put_count_nest(msg, LINMAP_A_COLLAPSE_SKIPS,
				  LINMAP_A_SKIP_COUNT_REASON, i,
				  LINMAP_A_SKIP_COUNT_COUNT,
				  i == LINMAP_SKIP_REASON_ATTRIBUTES ? 9 : 0,
				  LINMAP_A_SKIP_COUNT_PAD);
	return msg;
}

static void test_split_event_decodes(void)
{
	struct nl_msg *msg = split_event(UINT64_C(1) << 40, 17);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;
	int level;

	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_INT(ev.type, LC_EVENT_SPLIT);
	for (level = 0; level < LC_LEVEL_NR; level++)
		CHECK_U64(ev.split.splits[level], (UINT64_C(1) << 40) + level);
	CHECK_U64(ev.split.new_splits, 17);
	nlmsg_free(msg);
}

/* A change event: new attribute changes, no new splits. */
static void test_split_event_decodes_the_changes(void)
{
	struct nl_msg *msg = split_event(5, 0);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_CHANGES, 1000,
			 LINMAP_A_SPLIT_EVENT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_NEW_CHANGES, 12,
			 LINMAP_A_SPLIT_EVENT_PAD);
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_U64(ev.split.new_splits, 0);
	CHECK(ev.split.has_changes);
	CHECK_U64(ev.split.changes, 1000);
	CHECK_U64(ev.split.new_changes, 12);
	nlmsg_free(msg);

	/* a kernel that announces splits only */
	msg = split_event(5, 3);
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK(!ev.split.has_changes);
	CHECK_U64(ev.split.new_changes, 0);
	nlmsg_free(msg);

	/* one of the pair is a malformed event */
	msg = split_event(5, 0);
	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_NEW_CHANGES, 12,
			 LINMAP_A_SPLIT_EVENT_PAD);
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "event from the kernel has attribute 'new-changes' without 'changes'");
	nlmsg_free(msg);
}

static void test_collapse_event_decodes_without_addresses(void)
{
	struct nl_msg *msg = collapse_event(64);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_INT(ev.type, LC_EVENT_COLLAPSE);
	CHECK(!ev.collapse.has_range);
	CHECK(!ev.collapse.has_next);
	CHECK(!ev.collapse.dry_run);
	CHECK_U64(ev.collapse.tables_scanned, 64);
	CHECK_U64(ev.collapse.folds[LC_LEVEL_PUD], 0);
	CHECK_U64(ev.collapse.folds[LC_LEVEL_PMD], 4);
	CHECK_U64(ev.collapse.folds[LC_LEVEL_PTE], 8);
	CHECK_U64(ev.collapse.tables_freed, 3);
	CHECK_U64(ev.collapse.bytes_freed, 3 * 4096);
	CHECK_U64(ev.collapse.skips[LC_SKIP_ATTRIBUTES], 9);
	CHECK_U64(ev.collapse.skips[LC_SKIP_BUDGET], 0);
	CHECK_U64(ev.collapse.nsecs, 12345);
	nlmsg_free(msg);
}

/* Split tracking: the event says how many regions the collapse visited. */
static void test_collapse_event_decodes_the_regions_scanned(void)
{
	struct nl_msg *msg = collapse_event(64);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 5,
			 LINMAP_A_COLLAPSE_PAD);
	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_INT(ev.type, LC_EVENT_COLLAPSE);
	CHECK(ev.collapse.has_regions_scanned);
	CHECK_U64(ev.collapse.regions_scanned, 5);
	CHECK(!ev.collapse.full_scan);	/* echoed in the reply only */
	CHECK_U64(ev.collapse.tables_scanned, 64);
	nlmsg_free(msg);

	/* A kernel before split tracking. */
	msg = collapse_event(64);
	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK(!ev.collapse.has_regions_scanned);
	CHECK_U64(ev.collapse.regions_scanned, 0);
	CHECK(!ev.collapse.full_scan);
	nlmsg_free(msg);
}

/* The event says the collapse's longest lock hold, as the reply does. */
static void test_collapse_event_decodes_the_longest_hold(void)
{
	struct nl_msg *msg = collapse_event(64);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 5,
			 LINMAP_A_COLLAPSE_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS, 41000,
			 LINMAP_A_COLLAPSE_PAD);
	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_INT(ev.type, LC_EVENT_COLLAPSE);
	CHECK(ev.collapse.has_longest_hold);
	CHECK_U64(ev.collapse.longest_hold_nsecs, 41000);
	CHECK_U64(ev.collapse.regions_scanned, 5);
	nlmsg_free(msg);

	/* A kernel before split tracking. */
	msg = collapse_event(64);
	memset(&ev, 0xaa, sizeof(ev));
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK(!ev.collapse.has_longest_hold);
	CHECK_U64(ev.collapse.longest_hold_nsecs, 0);
	nlmsg_free(msg);
}

static void test_split_event_with_unknown_level_keeps_the_known_ones(void)
{
	struct nl_msg *msg = split_event(0, 1);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	fk_put_count_nest(msg, LINMAP_A_SPLIT_EVENT_SPLITS,
			  LINMAP_A_LEVEL_COUNT_LEVEL, 42,
			  LINMAP_A_LEVEL_COUNT_COUNT, 1000,
			  LINMAP_A_LEVEL_COUNT_PAD);
	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  0);
	CHECK_U64(ev.split.splits[LC_LEVEL_PUD], 0);
	CHECK_U64(ev.split.splits[LC_LEVEL_PTE], 4);
	nlmsg_free(msg);
}

static void test_split_event_without_new_splits_is_named(void)
{
	struct nl_msg *msg = fk_event_new(LINMAP_CMD_SPLIT_NTF);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "event from the kernel lacks attribute 'new-splits'");
	nlmsg_free(msg);
}

static void test_unknown_command_and_other_family_are_skipped(void)
{
	struct nl_msg *msg = fk_event_new(LINMAP_CMD_MAX + 1);
	char detail[LC_DETAIL_MAX];
	struct lc_event ev;

	CHECK_INT(lc_event_parse(msg, FK_FAMILY, &ev, detail, sizeof(detail)),
		  -ENOMSG);
	nlmsg_free(msg);

	msg = split_event(0, 1);
	CHECK_INT(lc_event_parse(msg, FK_FAMILY + 1, &ev, detail,
				 sizeof(detail)), -ENOMSG);
	nlmsg_free(msg);
}

static struct lc_events *fake_events(void)
{
	struct lc_events *evs = lc_events_new(fk_sock_new(NULL, NULL),
					      FK_FAMILY, 7);

	if (!evs)
		abort();
	return evs;
}

#define GUARD	0xa5

/* lc_events_read() writes a first-version event only up to its size. */
static void test_read_fills_an_older_callers_event_up_to_its_size(void)
{
	struct lc_events *evs = fake_events();
	unsigned char buf[sizeof(struct lc_event) + 16];
	struct lc_event *ev = (struct lc_event *)buf;
	struct nl_msg *msg = collapse_event(7);
	size_t i;
	bool intact = true;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 5,
			 LINMAP_A_COLLAPSE_PAD);
	fk_queue(msg, false);
	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_events_read(evs, ev, LC_EVENT_SIZE_VER1), 1);
	CHECK_INT(ev->type, LC_EVENT_COLLAPSE);
	CHECK_U64(ev->collapse.tables_scanned, 7);
	for (i = LC_EVENT_SIZE_VER1; i < sizeof(buf); i++)
		intact = intact && buf[i] == GUARD;
	CHECK(intact);

	/* The current size gets the regions. */
	msg = collapse_event(7);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 5,
			 LINMAP_A_COLLAPSE_PAD);
	fk_queue(msg, false);
	CHECK_INT(lc_events_read(evs, ev, sizeof(*ev)), 1);
	CHECK(ev->collapse.has_regions_scanned);
	CHECK_U64(ev->collapse.regions_scanned, 5);
	lc_events_close(evs);
}

/*
 * An event of the split-tracking version (before the longest hold) is
 * written up to its size; the current size gets the hold.
 */
static void test_read_fills_a_second_version_event_up_to_its_size(void)
{
	struct lc_events *evs = fake_events();
	unsigned char buf[sizeof(struct lc_event) + 16];
	struct lc_event *ev = (struct lc_event *)buf;
	struct nl_msg *msg = collapse_event(7);
	size_t i;
	bool intact = true;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 5,
			 LINMAP_A_COLLAPSE_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS, 900,
			 LINMAP_A_COLLAPSE_PAD);
	fk_queue(msg, false);
	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_events_read(evs, ev, LC_EVENT_SIZE_VER2), 1);
	CHECK_INT(ev->type, LC_EVENT_COLLAPSE);
	CHECK(ev->collapse.has_regions_scanned);
	CHECK_U64(ev->collapse.regions_scanned, 5);
	for (i = LC_EVENT_SIZE_VER2; i < sizeof(buf); i++)
		intact = intact && buf[i] == GUARD;
	CHECK(intact);

	msg = collapse_event(7);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS, 900,
			 LINMAP_A_COLLAPSE_PAD);
	fk_queue(msg, false);
	CHECK_INT(lc_events_read(evs, ev, sizeof(*ev)), 1);
	CHECK(ev->collapse.has_longest_hold);
	CHECK_U64(ev->collapse.longest_hold_nsecs, 900);
	lc_events_close(evs);
}

static void test_read_returns_each_pending_event_then_zero(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	fk_queue(split_event(100, 5), false);
	fk_queue(collapse_event(9), false);

	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_INT(ev.type, LC_EVENT_SPLIT);
	CHECK_U64(ev.split.new_splits, 5);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_INT(ev.type, LC_EVENT_COLLAPSE);
	CHECK_U64(ev.collapse.tables_scanned, 9);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 0);
	CHECK_STR(lc_events_strerror(evs), "");
	lc_events_close(evs);
}

static void test_read_skips_unknown_notifications(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	fk_queue(fk_event_new(LINMAP_CMD_MAX + 1), false);
	fk_queue(split_event(0, 3), false);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_INT(ev.type, LC_EVENT_SPLIT);
	CHECK_U64(ev.split.new_splits, 3);
	CHECK_INT(fk_pending(), 0);

	/* In one datagram, the unknown one does not hide the next. */
	fk_queue(fk_event_new(LINMAP_CMD_MAX + 1), false);
	fk_queue(split_event(0, 4), true);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_U64(ev.split.new_splits, 4);

	/* Only an unknown one pending: nothing to report. */
	fk_queue(fk_event_new(LINMAP_CMD_MAX + 1), false);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 0);
	lc_events_close(evs);
}

static void test_overrun_is_reported_as_lost_events(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	/* What nl_recv() returns when recvmsg() fails with ENOBUFS. */
	fk_queue_recv_error(-NLE_NOMEM, ENOBUFS);
	fk_queue(split_event(0, 2), false);

	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), -ENOBUFS);
	CHECK_CONTAINS(lc_events_strerror(evs), "dropped events");
	/* The socket is still usable: reading carries on. */
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_U64(ev.split.new_splits, 2);
	CHECK_STR(lc_events_strerror(evs), "");
	lc_events_close(evs);
}

static void test_recv_errors_map_to_errno(void)
{
	CHECK_INT(lc_events_recv_error(-NLE_NOMEM, ENOBUFS), -ENOBUFS);
	/* errno lost on the way: still taken as lost events. */
	CHECK_INT(lc_events_recv_error(-NLE_NOMEM, 0), -ENOBUFS);
	CHECK_INT(lc_events_recv_error(-NLE_NOMEM, ENOMEM), -ENOMEM);
	CHECK_INT(lc_events_recv_error(-NLE_MSG_OVERFLOW, 0), -ENOBUFS);
	CHECK_INT(lc_events_recv_error(-NLE_BAD_SOCK, EBADF), -EBADF);
}

static void test_would_block_is_nothing_pending(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	fk_queue_recv_error(-NLE_AGAIN, EAGAIN);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 0);
	lc_events_close(evs);
}

static void test_malformed_event_is_named_and_skipped(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	fk_queue(fk_event_new(LINMAP_CMD_SPLIT_NTF), false);
	fk_queue(collapse_event(1), false);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), -EPROTO);
	CHECK_STR(lc_events_strerror(evs),
		  "split-ntf: Protocol error: event from the kernel lacks attribute 'new-splits'");
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), 1);
	CHECK_INT(ev.type, LC_EVENT_COLLAPSE);
	lc_events_close(evs);
}

static void test_socket_failure_is_an_error(void)
{
	struct lc_events *evs = fake_events();
	struct lc_event ev;

	fk_queue_recv_error(-NLE_BAD_SOCK, EBADF);
	CHECK_INT(lc_events_read(evs, &ev, sizeof(ev)), -EBADF);
	CHECK_CONTAINS(lc_events_strerror(evs), "events: cannot receive: ");
	lc_events_close(evs);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_split_event_decodes),
	TAP_TEST(test_split_event_decodes_the_changes),
	TAP_TEST(test_collapse_event_decodes_without_addresses),
	TAP_TEST(test_collapse_event_decodes_the_regions_scanned),
	TAP_TEST(test_read_fills_an_older_callers_event_up_to_its_size),
	TAP_TEST(test_collapse_event_decodes_the_longest_hold),
	TAP_TEST(test_read_fills_a_second_version_event_up_to_its_size),
	TAP_TEST(test_split_event_with_unknown_level_keeps_the_known_ones),
	TAP_TEST(test_split_event_without_new_splits_is_named),
	TAP_TEST(test_unknown_command_and_other_family_are_skipped),
	TAP_TEST(test_read_returns_each_pending_event_then_zero),
	TAP_TEST(test_read_skips_unknown_notifications),
	TAP_TEST(test_overrun_is_reported_as_lost_events),
	TAP_TEST(test_recv_errors_map_to_errno),
	TAP_TEST(test_would_block_is_nothing_pending),
	TAP_TEST(test_malformed_event_is_named_and_skipped),
	TAP_TEST(test_socket_failure_is_an_error),
};

TAP_MAIN(tests)
