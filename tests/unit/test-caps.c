// SPDX-License-Identifier: GPL-2.0
/* get-caps replies, built as the kernel builds them, through the parser. */
#include <errno.h>
#include <string.h>

#include <linux/linmap.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

#define PAD LINMAP_A_CAPS_PAD

/* A complete reply; @wide: counters as u64 (kernel) or u32 (tolerated). */
static struct nl_msg *caps_reply(bool wide, bool linear_range)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_GET_CAPS);

	nla_put_u32(msg, LINMAP_A_CAPS_GRANULE, 4096);
	nla_put_u8(msg, LINMAP_A_CAPS_BBML3, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_BLOCK_CAPABLE, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_RODATA_FULL, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_REALM, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_POE, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_KFENCE, 1);
	nla_put_string(msg, LINMAP_A_CAPS_REASON, "rodata=full without BBML3");
	if (wide) {
		fk_put_u64_64bit(msg, LINMAP_A_CAPS_RAM_BYTES,
				 UINT64_C(0x200000000), PAD);
		if (linear_range) {
			fk_put_u64_64bit(msg, LINMAP_A_CAPS_LINEAR_START,
					 0x40000000, PAD);
			fk_put_u64_64bit(msg, LINMAP_A_CAPS_LINEAR_END,
					 UINT64_C(0x240000000), PAD);
		}
	} else {
		nla_put_u32(msg, LINMAP_A_CAPS_RAM_BYTES, 0x80000000u);
		if (linear_range) {
			nla_put_u32(msg, LINMAP_A_CAPS_LINEAR_START, 0x40000000);
			nla_put_u32(msg, LINMAP_A_CAPS_LINEAR_END, 0xc0000000u);
		}
	}
	return msg;
}

static void test_caps_reply_with_u64_and_pad_parses(void)
{
	struct nl_msg *msg = caps_reply(true, true);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	memset(&caps, 0xaa, sizeof(caps));
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.granule, 4096);
	CHECK(caps.bbml3);
	CHECK(!caps.block_capable);
	CHECK(caps.rodata_full);
	CHECK(!caps.realm);
	CHECK(caps.poe);
	CHECK(caps.kfence);
	CHECK_STR(caps.reason, "rodata=full without BBML3");
	CHECK(caps.has_linear_range);
	CHECK_U64(caps.linear_start, 0x40000000);
	CHECK_U64(caps.linear_end, UINT64_C(0x240000000));
	CHECK_U64(caps.ram_bytes, UINT64_C(0x200000000));
	nlmsg_free(msg);
}

static void test_caps_reply_with_4_byte_integers_parses(void)
{
	struct nl_msg *msg = caps_reply(false, true);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.ram_bytes, 0x80000000u);
	CHECK(caps.has_linear_range);
	CHECK_U64(caps.linear_start, 0x40000000);
	CHECK_U64(caps.linear_end, 0xc0000000u);
	nlmsg_free(msg);
}

static void test_caps_reply_without_linear_range_is_unprivileged_view(void)
{
	struct nl_msg *msg = caps_reply(true, false);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK(!caps.has_linear_range);
	CHECK_U64(caps.linear_start, 0);
	CHECK_U64(caps.linear_end, 0);
	nlmsg_free(msg);
}

static void test_caps_reply_without_reason_gives_empty_reason(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_GET_CAPS);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	nla_put_u32(msg, LINMAP_A_CAPS_GRANULE, 65536);
	nla_put_u8(msg, LINMAP_A_CAPS_BBML3, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_BLOCK_CAPABLE, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_RODATA_FULL, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_REALM, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_POE, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_KFENCE, 0);
	fk_put_u64_64bit(msg, LINMAP_A_CAPS_RAM_BYTES, 1 << 30, PAD);
	memset(&caps, 'x', sizeof(caps));
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_STR(caps.reason, "");
	CHECK_U64(caps.granule, 65536);
	CHECK(caps.block_capable);
	CHECK(caps.realm);
	CHECK(!caps.kfence);
	nlmsg_free(msg);
}

static void test_caps_reply_truncates_a_long_reason(void)
{
	struct nl_msg *msg = caps_reply(true, false);
	char reason[300];
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	/* A later duplicate wins in nla_parse(). */
	nla_put_string(msg, LINMAP_A_CAPS_REASON, reason);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_INT(strlen(caps.reason), LC_REASON_MAX - 1);
	CHECK(caps.reason[0] == 'r');
	nlmsg_free(msg);
}

static void test_caps_reply_missing_ram_bytes_is_named(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_GET_CAPS);
	struct lc_caps caps = { .granule = 7 };
	char detail[LC_DETAIL_MAX];

	nla_put_u32(msg, LINMAP_A_CAPS_GRANULE, 4096);
	nla_put_u8(msg, LINMAP_A_CAPS_BBML3, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_BLOCK_CAPABLE, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_RODATA_FULL, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_REALM, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_POE, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_KFENCE, 0);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel lacks attribute 'ram-bytes'");
	CHECK_U64(caps.granule, 7);	/* untouched on failure */
	nlmsg_free(msg);
}

static void test_caps_reply_with_half_a_linear_range_is_refused(void)
{
	struct nl_msg *msg = caps_reply(true, false);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_CAPS_LINEAR_START, 0x40000000, PAD);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel has attribute 'linear-start' without 'linear-end'");
	nlmsg_free(msg);
}

static void test_caps_reply_with_odd_integer_width_is_refused(void)
{
	struct nl_msg *msg = caps_reply(true, false);
	const unsigned char three[3] = { 1, 2, 3 };
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	nla_put(msg, LINMAP_A_CAPS_GRANULE, sizeof(three), three);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "attribute 'granule' has 3 bytes, expected 1, 2, 4 or 8");
	nlmsg_free(msg);
}

/* Split tracking: the region size, sent to every caller. */
static void test_caps_reply_with_region_size_parses(void)
{
	struct nl_msg *msg = caps_reply(true, false);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_CAPS_REGION_SIZE, UINT64_C(1) << 30, PAD);
	memset(&caps, 0xaa, sizeof(caps));
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.region_size, UINT64_C(1) << 30);
	CHECK_U64(caps.granule, 4096);
	CHECK_U64(caps.ram_bytes, UINT64_C(0x200000000));
	nlmsg_free(msg);

	/* 64K pages: 16G regions, above 32 bits. */
	msg = caps_reply(true, false);
	fk_put_u64_64bit(msg, LINMAP_A_CAPS_REGION_SIZE, UINT64_C(16) << 30, PAD);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.region_size, UINT64_C(16) << 30);
	nlmsg_free(msg);
}

/* A kernel before split tracking: no region size, which reads 0. */
static void test_caps_reply_without_region_size_reads_zero(void)
{
	struct nl_msg *msg = caps_reply(true, true);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	memset(&caps, 0xaa, sizeof(caps));
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.region_size, 0);
	nlmsg_free(msg);
}

static void test_caps_reply_ignores_unknown_newer_attributes(void)
{
	struct nl_msg *msg = caps_reply(true, true);
	struct lc_caps caps;
	char detail[LC_DETAIL_MAX];

	nla_put_u32(msg, LINMAP_A_CAPS_MAX + 5, 1234);
	CHECK_INT(lc_caps_reply_parse(msg, &caps, detail, sizeof(detail)), 0);
	CHECK_U64(caps.granule, 4096);
	nlmsg_free(msg);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_caps_reply_with_u64_and_pad_parses),
	TAP_TEST(test_caps_reply_with_4_byte_integers_parses),
	TAP_TEST(test_caps_reply_without_linear_range_is_unprivileged_view),
	TAP_TEST(test_caps_reply_without_reason_gives_empty_reason),
	TAP_TEST(test_caps_reply_truncates_a_long_reason),
	TAP_TEST(test_caps_reply_missing_ram_bytes_is_named),
	TAP_TEST(test_caps_reply_with_half_a_linear_range_is_refused),
	TAP_TEST(test_caps_reply_with_odd_integer_width_is_refused),
	TAP_TEST(test_caps_reply_with_region_size_parses),
	TAP_TEST(test_caps_reply_without_region_size_reads_zero),
	TAP_TEST(test_caps_reply_ignores_unknown_newer_attributes),
};

TAP_MAIN(tests)
