// SPDX-License-Identifier: GPL-2.0
/* collapsectl's count syntax (--budget N, --count N). */
#include <errno.h>

#include "count.h"
#include "tap.h"

static void check_count(const char *text, uint64_t min, uint64_t want)
{
	uint64_t count = 0;
	char why[160] = "";

	if (parse_count(text, min, &count, why, sizeof(why))) {
		printf("# '%s' refused: %s\n", text, why);
		tap_test_failed = true;
		return;
	}
	CHECK_U64(count, want);
}

static void check_count_refused(const char *text, uint64_t min, int err,
				const char *needle)
{
	uint64_t count = 12345;
	char why[160] = "";

	CHECK_INT(parse_count(text, min, &count, why, sizeof(why)), err);
	CHECK_CONTAINS(why, needle);
	CHECK_U64(count, 12345);	/* untouched on failure */
}

static void test_decimal_counts_are_accepted(void)
{
	check_count("1", 1, 1);
	check_count("0", 0, 0);
	check_count("0064", 1, 64);
	check_count("18446744073709551615", 1, UINT64_MAX);
}

static void test_non_numbers_are_refused(void)
{
	check_count_refused("", 1, -EINVAL, "empty");
	check_count_refused("abc", 1, -EINVAL, "'abc' is not a number");
	check_count_refused("12x", 1, -EINVAL, "'12x' is not a number");
	check_count_refused("-1", 1, -EINVAL, "'-1' is not a number");
	check_count_refused(" 1", 1, -EINVAL, "is not a number");
	check_count_refused("0x10", 1, -EINVAL, "'0x10' is not a number");
	check_count_refused("1K", 1, -EINVAL, "'1K' is not a number");
}

static void test_overflow_is_refused(void)
{
	check_count_refused("18446744073709551616", 1, -ERANGE,
			    "does not fit in 64 bits");
}

static void test_count_below_minimum_is_refused(void)
{
	check_count_refused("0", 1, -ERANGE, "'0' is below the minimum of 1");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_decimal_counts_are_accepted),
	TAP_TEST(test_non_numbers_are_refused),
	TAP_TEST(test_overflow_is_refused),
	TAP_TEST(test_count_below_minimum_is_refused),
};

TAP_MAIN(tests)
