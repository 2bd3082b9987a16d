/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for the unit tests (meson test protocol 'tap').
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_STR(s, "a"); }
 *   static const struct tap_test tests[] = {
 *           TAP_TEST(test_something),
 *   };
 *   TAP_MAIN(tests)
 *
 * A failed CHECK prints a "#" diagnostic with the location and carries on,
 * so one run shows every broken expectation of a test.
 */
#ifndef LINMAP_TAP_H
#define LINMAP_TAP_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool tap_test_failed;
static const char *tap_skip_reason;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: check failed: %s\n",		\
			       __FILE__, __LINE__, #cond);		\
			tap_test_failed = true;				\
		}							\
	} while (0)

#define CHECK_U64(got, want)						\
	do {								\
		uint64_t got_ = (uint64_t)(got);			\
		uint64_t want_ = (uint64_t)(want);			\
		if (got_ != want_) {					\
			printf("# %s:%d: %s is %" PRIu64 " (0x%" PRIx64	\
			       "), expected %" PRIu64 " (0x%" PRIx64 ")\n", \
			       __FILE__, __LINE__, #got, got_, got_,	\
			       want_, want_);				\
			tap_test_failed = true;				\
		}							\
	} while (0)

#define CHECK_INT(got, want)						\
	do {								\
		long long got_ = (long long)(got);			\
		long long want_ = (long long)(want);			\
		if (got_ != want_) {					\
			printf("# %s:%d: %s is %lld, expected %lld\n",	\
			       __FILE__, __LINE__, #got, got_, want_);	\
			tap_test_failed = true;				\
		}							\
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *got_ = (got);				\
		const char *want_ = (want);				\
		if (!got_ || strcmp(got_, want_)) {			\
			printf("# %s:%d: %s is \"%s\", expected \"%s\"\n", \
			       __FILE__, __LINE__, #got,		\
			       got_ ? got_ : "(null)", want_);		\
			tap_test_failed = true;				\
		}							\
	} while (0)

#define CHECK_CONTAINS(got, needle)					\
	do {								\
		const char *got_ = (got);				\
		const char *needle_ = (needle);				\
		if (!got_ || !strstr(got_, needle_)) {			\
			printf("# %s:%d: %s does not contain \"%s\":\n", \
			       __FILE__, __LINE__, #got, needle_);	\
			tap_print_text(got_);				\
			tap_test_failed = true;				\
		}							\
	} while (0)

/* Mark the running test as skipped (it still reports failures). */
#define SKIP(reason) (tap_skip_reason = (reason))

static inline void tap_print_text(const char *text)
{
	const char *nl;

	if (!text) {
		printf("#   (null)\n");
		return;
	}
	while (*text) {
		nl = strchr(text, '\n');
		if (!nl)
			nl = text + strlen(text);
		printf("#   | %.*s\n", (int)(nl - text), text);
		text = *nl ? nl + 1 : nl;
	}
}

struct tap_test {
	const char *name;
	void (*fn)(void);
};

static inline int tap_run(const struct tap_test *tests, size_t n)
{
	size_t i, failed = 0;

	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		tap_test_failed = false;
		tap_skip_reason = NULL;
		fflush(stdout);
		tests[i].fn();
		if (tap_test_failed)
			failed++;
		printf("%sok %zu - %s", tap_test_failed ? "not " : "", i + 1,
		       tests[i].name);
		if (tap_skip_reason && !tap_test_failed)
			printf(" # SKIP %s", tap_skip_reason);
		printf("\n");
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

/* An entry of a file's test table, named after its function. */
#define TAP_TEST(fn) { #fn, fn }

/* main() running the table @tests in order. */
#define TAP_MAIN(tests)							\
	int main(void)							\
	{								\
		return tap_run(tests, sizeof(tests) / sizeof(tests[0]));	\
	}

#endif /* LINMAP_TAP_H */
