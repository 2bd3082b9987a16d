#include "tap.h"
static void test_todo(void) { }
static const struct tap_test tests[] = { TAP_TEST(test_todo) };
TAP_MAIN(tests)
