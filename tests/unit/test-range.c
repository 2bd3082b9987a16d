// SPDX-License-Identifier: GPL-2.0
/* collapsectl's address and range syntax. */
#include <errno.h>

#include "range.h"
#include "tap.h"

static void check_addr(const char *text, uint64_t want)
{
	uint64_t addr = 0;
	char why[160] = "";

	if (parse_addr(text, &addr, why, sizeof(why))) {
		printf("# '%s' refused: %s\n", text, why);
		tap_test_failed = true;
		return;
	}
	CHECK_U64(addr, want);
}

static void check_addr_refused(const char *text, int err, const char *needle)
{
	uint64_t addr = 0;
	char why[160] = "";

	CHECK_INT(parse_addr(text, &addr, why, sizeof(why)), err);
	CHECK_CONTAINS(why, needle);
}

static void test_hex_addresses_are_accepted(void)
{
	check_addr("0x0", 0);
	check_addr("0x40000000", 0x40000000);
	check_addr("0X1f", 0x1f);
	check_addr("0xFFFFFFFFFFFFFFFF", UINT64_MAX);
}

static void test_decimal_addresses_take_k_m_g_suffixes(void)
{
	check_addr("0", 0);
	check_addr("4096", 4096);
	check_addr("4k", 4096);
	check_addr("64K", 65536);
	check_addr("512M", UINT64_C(512) << 20);
	check_addr("2g", UINT64_C(2) << 30);
	check_addr("18446744073709551615", UINT64_MAX);
}

static void test_malformed_addresses_are_refused(void)
{
	check_addr_refused("", -EINVAL, "empty");
	check_addr_refused("0x", -EINVAL, "no hex digits");
	check_addr_refused("0x12zz", -EINVAL, "'0x12zz' is not a hex number");
	check_addr_refused("zz", -EINVAL, "'zz' is not an address");
	check_addr_refused("-1", -EINVAL, "'-1' is not an address");
	check_addr_refused(" 1", -EINVAL, "is not an address");
	check_addr_refused("1T", -EINVAL, "bad suffix 'T'");
	check_addr_refused("1GB", -EINVAL, "bad suffix 'GB'");
	check_addr_refused("0x1G", -EINVAL, "not a hex number");
}

static void test_too_large_addresses_are_refused(void)
{
	check_addr_refused("0x10000000000000000", -ERANGE, "64 bits");
	check_addr_refused("18446744073709551616", -ERANGE, "64 bits");
	check_addr_refused("17179869184G", -ERANGE, "64 bits");
}

static void test_ranges_parse_both_ends(void)
{
	struct lc_range range = { 0 };
	char why[160] = "";

	CHECK_INT(parse_range("1G-2G", &range, why, sizeof(why)), 0);
	CHECK_U64(range.start, UINT64_C(1) << 30);
	CHECK_U64(range.end, UINT64_C(2) << 30);
	CHECK_INT(parse_range("0x40000000-0x80000000", &range, why,
			      sizeof(why)), 0);
	CHECK_U64(range.start, 0x40000000);
	CHECK_U64(range.end, 0x80000000);
}

static void test_misaligned_ranges_are_left_to_the_kernel(void)
{
	struct lc_range range = { 0 };
	char why[160] = "";

	CHECK_INT(parse_range("0x1001-0x1002", &range, why, sizeof(why)), 0);
	CHECK_U64(range.start, 0x1001);
	CHECK_U64(range.end, 0x1002);
}

static void test_empty_or_reversed_ranges_are_left_to_the_kernel(void)
{
	struct lc_range range;
	char why[160] = "";

	CHECK_INT(parse_range("0x2000-0x1000", &range, why, sizeof(why)), 0);
	CHECK_U64(range.start, 0x2000);
	CHECK_U64(range.end, 0x1000);
	CHECK_INT(parse_range("4K-4096", &range, why, sizeof(why)), 0);
	CHECK_U64(range.start, 4096);
	CHECK_U64(range.end, 4096);
}

static void test_malformed_ranges_are_refused(void)
{
	struct lc_range range;
	char why[160] = "";

	CHECK_INT(parse_range("0x1000", &range, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(why, "expected START-END");
	CHECK_INT(parse_range("-0x1000", &range, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(why, "start address is missing");
	CHECK_INT(parse_range("0x1000-", &range, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(why, "end address is missing");
	CHECK_INT(parse_range("1G-2X", &range, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(why, "'2X' has a bad suffix");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_hex_addresses_are_accepted),
	TAP_TEST(test_decimal_addresses_take_k_m_g_suffixes),
	TAP_TEST(test_malformed_addresses_are_refused),
	TAP_TEST(test_too_large_addresses_are_refused),
	TAP_TEST(test_ranges_parse_both_ends),
	TAP_TEST(test_misaligned_ranges_are_left_to_the_kernel),
	TAP_TEST(test_empty_or_reversed_ranges_are_left_to_the_kernel),
	TAP_TEST(test_malformed_ranges_are_refused),
};

TAP_MAIN(tests)
