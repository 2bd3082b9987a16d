// SPDX-License-Identifier: GPL-2.0
/* The kernel's NLMSG_ERROR with extended-ack TLVs, read by hand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/linmap.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

static const char range_msg[] = "range end must be above start";

/* A get-stats request with a range, seq/port set as after sending. */
static struct nl_msg *stats_request(void)
{
	const struct lc_range range = { .start = 0x2000, .end = 0x1000 };
	struct nl_msg *req = lc_stats_request_build(FK_FAMILY, &range, 0);

	if (!req)
		abort();
	nlmsg_hdr(req)->nlmsg_seq = 1234;
	nlmsg_hdr(req)->nlmsg_pid = 5678;
	return req;
}

static void test_capped_error_message_is_extracted(void)
{
	struct nl_msg *req = stats_request();
	struct nl_msg *err = fk_error_new(nlmsg_hdr(req), -EINVAL, true,
					  range_msg);
	struct lc_extack ext;

	CHECK_INT(lc_extack_parse(nlmsg_hdr(err), &ext), 0);
	CHECK_INT(ext.error, -EINVAL);
	CHECK_STR(ext.msg, range_msg);
	CHECK(!ext.has_offset);
	CHECK(!ext.has_miss_type);
	nlmsg_free(err);
	nlmsg_free(req);
}

static void test_uncapped_error_skips_the_echoed_request(void)
{
	struct nl_msg *req = stats_request();
	struct nl_msg *err = fk_error_new(nlmsg_hdr(req), -ERANGE, false,
					  range_msg);
	struct lc_extack ext;

	/* The echoed request has attributes of its own; they must be skipped. */
	CHECK(nlmsg_hdr(err)->nlmsg_len > nlmsg_hdr(req)->nlmsg_len + 20);
	CHECK_INT(lc_extack_parse(nlmsg_hdr(err), &ext), 0);
	CHECK_INT(ext.error, -ERANGE);
	CHECK_STR(ext.msg, range_msg);
	nlmsg_free(err);
	nlmsg_free(req);
}

static void test_error_without_tlvs_keeps_the_code(void)
{
	struct nl_msg *req = stats_request();
	struct nl_msg *err = fk_error_new(nlmsg_hdr(req), -EPERM, true, NULL);
	struct lc_extack ext;

	CHECK(!(nlmsg_hdr(err)->nlmsg_flags & NLM_F_ACK_TLVS));
	CHECK_INT(lc_extack_parse(nlmsg_hdr(err), &ext), 0);
	CHECK_INT(ext.error, -EPERM);
	CHECK_STR(ext.msg, "");
	nlmsg_free(err);
	nlmsg_free(req);
}

static void test_offset_and_missing_type_are_extracted(void)
{
	struct nl_msg *req = stats_request();
	struct nl_msg *err = fk_error_new(nlmsg_hdr(req), -EINVAL, true, NULL);
	struct lc_extack ext;

	fk_error_put_u32(err, NLMSGERR_ATTR_OFFS, 36);
	fk_error_put_u32(err, NLMSGERR_ATTR_MISS_TYPE, LINMAP_A_STATS_END);
	CHECK_INT(lc_extack_parse(nlmsg_hdr(err), &ext), 0);
	CHECK(ext.has_offset);
	CHECK_U64(ext.offset, 36);
	CHECK(ext.has_miss_type);
	CHECK_U64(ext.miss_type, LINMAP_A_STATS_END);
	CHECK_STR(ext.msg, "");
	nlmsg_free(err);
	nlmsg_free(req);
}

static void test_short_error_message_is_refused(void)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	int code = -EINVAL;
	struct lc_extack ext;

	nlmsg_append(msg, &code, sizeof(code), NLMSG_ALIGNTO);
	CHECK_INT(lc_extack_parse(nlmsg_hdr(msg), &ext), -EBADMSG);
	nlmsg_free(msg);
}

static void test_text_is_op_strerror_and_kernel_message(void)
{
	struct lc_extack ext = { .error = -EINVAL };
	char buf[LC_ERRBUF_SIZE];

	strcpy(ext.msg, range_msg);
	lc_extack_format(buf, sizeof(buf), &lc_op_get_stats, &ext, NULL);
	CHECK_STR(buf, "get-stats: Invalid argument: range end must be above start");
}

static void test_text_without_kernel_message_is_op_and_strerror(void)
{
	struct lc_extack ext = { .error = -EPERM };
	char buf[LC_ERRBUF_SIZE];

	lc_extack_format(buf, sizeof(buf), &lc_op_get_caps, &ext, NULL);
	CHECK_STR(buf, "get-caps: Operation not permitted");
}

static void test_text_names_a_missing_attribute(void)
{
	struct lc_extack ext = {
		.error = -EINVAL,
		.has_miss_type = true,
		.miss_type = LINMAP_A_STATS_END,
	};
	char buf[LC_ERRBUF_SIZE];

	lc_extack_format(buf, sizeof(buf), &lc_op_get_stats, &ext, NULL);
	CHECK_STR(buf, "get-stats: Invalid argument: missing attribute 'end'");
}

static void test_text_names_the_attribute_at_the_offset(void)
{
	struct nl_msg *req = stats_request();
	/* nlmsghdr (16) + genlmsghdr (4): START is the first attribute. */
	struct lc_extack ext = {
		.error = -ERANGE,
		.has_offset = true,
		.offset = NLMSG_HDRLEN + GENL_HDRLEN,
	};
	char buf[LC_ERRBUF_SIZE];

	strcpy(ext.msg, "address out of range");
	lc_extack_format(buf, sizeof(buf), &lc_op_get_stats, &ext, req);
	CHECK_STR(buf, "get-stats: Numerical result out of range: address out of range (attribute 'start')");

	/* An offset outside the request names nothing. */
	ext.offset = 4096;
	lc_extack_format(buf, sizeof(buf), &lc_op_get_stats, &ext, req);
	CHECK_STR(buf, "get-stats: Numerical result out of range: address out of range");
	nlmsg_free(req);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_capped_error_message_is_extracted),
	TAP_TEST(test_uncapped_error_skips_the_echoed_request),
	TAP_TEST(test_error_without_tlvs_keeps_the_code),
	TAP_TEST(test_offset_and_missing_type_are_extracted),
	TAP_TEST(test_short_error_message_is_refused),
	TAP_TEST(test_text_is_op_strerror_and_kernel_message),
	TAP_TEST(test_text_without_kernel_message_is_op_and_strerror),
	TAP_TEST(test_text_names_a_missing_attribute),
	TAP_TEST(test_text_names_the_attribute_at_the_offset),
};

TAP_MAIN(tests)
