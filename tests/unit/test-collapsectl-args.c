// SPDX-License-Identifier: GPL-2.0
/*
 * collapsectl's command line, run as an operator would run it: the built
 * binary (argv[1]) with bad arguments must exit 2 and name the argument.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static const char *collapsectl;

struct run {
	int exit_code;		/* -1 if killed by a signal */
	char out[16384];
	char err[16384];
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run collapsectl with the NULL-terminated @args. */
static void run(struct run *r, const char *const *args)
{
	const char *argv[16] = { collapsectl };
	FILE *out = tmpfile(), *err = tmpfile();
	int status, i;
	pid_t pid;

	if (!out || !err)
		abort();
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		execv(collapsectl, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		abort();
	r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* Expect a usage error: exit 2, @needle on stderr, nothing on stdout. */
static void check_usage_error(const char *const *args, const char *needle)
{
	struct run r;

	run(&r, args);
	CHECK_INT(r.exit_code, 2);
	CHECK_CONTAINS(r.err, needle);
	CHECK_CONTAINS(r.err, "collapsectl: ");
	CHECK_STR(r.out, "");
}

static void test_unknown_command_is_a_usage_error(void)
{
	check_usage_error((const char *const[]){ "frobnicate", NULL },
			  "unknown command 'frobnicate'");
}

static void test_no_command_is_a_usage_error(void)
{
	check_usage_error((const char *const[]){ NULL }, "no command given");
}

static void test_unknown_option_is_named(void)
{
	check_usage_error((const char *const[]){ "--bogus", NULL },
			  "unknown option '--bogus'");
	check_usage_error((const char *const[]){ "status", "--bogus=1", NULL },
			  "status: unknown option '--bogus'");
	check_usage_error((const char *const[]){ "status", "-x", NULL },
			  "status: unknown option '-x'");
}

static void test_missing_range_value_is_named(void)
{
	check_usage_error((const char *const[]){ "status", "--range", NULL },
			  "status: option '--range' needs a value");
	check_usage_error((const char *const[]){ "status", "-r", NULL },
			  "status: option '-r' needs a value");
}

static void test_bad_address_is_named(void)
{
	check_usage_error((const char *const[]){ "status", "--range",
						 "zz-0x1000", NULL },
			  "--range 'zz-0x1000': 'zz' is not an address");
	check_usage_error((const char *const[]){ "status", "--range=0x1000-7Q",
						 NULL },
			  "--range '0x1000-7Q': '7Q' has a bad suffix");
	check_usage_error((const char *const[]){ "status", "--range",
						 "0x1000", NULL },
			  "--range '0x1000': expected START-END");
}

static void test_stray_argument_is_a_usage_error(void)
{
	check_usage_error((const char *const[]){ "status", "extra", NULL },
			  "status: unexpected argument 'extra'");
}

/* A range is always walked: asking for the counters of one is a mistake. */
static void test_counts_with_a_range_is_a_usage_error(void)
{
	check_usage_error((const char *const[]){ "status", "--counts",
						 "--range", "1G-2G", NULL },
			  "status: --counts and --range exclude each other");
	check_usage_error((const char *const[]){ "status", "-r", "1G-2G",
						 "--counts", NULL },
			  "status: --counts and --range exclude each other");
}

static void test_bad_budget_is_named(void)
{
	check_usage_error((const char *const[]){ "collapse", "--budget", "abc",
						 NULL },
			  "collapse: --budget 'abc': 'abc' is not a number");
	check_usage_error((const char *const[]){ "collapse", "--budget=12x",
						 NULL },
			  "collapse: --budget '12x': '12x' is not a number");
	check_usage_error((const char *const[]){ "collapse", "-b", "-5", NULL },
			  "collapse: --budget '-5': '-5' is not a number");
	check_usage_error((const char *const[]){ "collapse", "--budget", "0",
						 NULL },
			  "collapse: --budget '0': '0' is below the minimum of 1 (leave --budget out for no limit)");
	check_usage_error((const char *const[]){ "collapse", "--budget",
						 "99999999999999999999", NULL },
			  "does not fit in 64 bits");
	check_usage_error((const char *const[]){ "collapse", "--budget", NULL },
			  "collapse: option '--budget' needs a value");
}

static void test_collapse_unknown_option_and_stray_argument_are_named(void)
{
	check_usage_error((const char *const[]){ "collapse", "--force", NULL },
			  "collapse: unknown option '--force'");
	check_usage_error((const char *const[]){ "collapse", "-x", NULL },
			  "collapse: unknown option '-x'");
	check_usage_error((const char *const[]){ "collapse", "now", NULL },
			  "collapse: unexpected argument 'now'");
	/* --full is collapse's alone, and takes no value. */
	check_usage_error((const char *const[]){ "status", "--full", NULL },
			  "status: unknown option '--full'");
	check_usage_error((const char *const[]){ "collapse", "--full", "all",
						 NULL },
			  "collapse: unexpected argument 'all'");
	check_usage_error((const char *const[]){ "collapse", "--range",
						 "1G", NULL },
			  "collapse: --range '1G': expected START-END");
}

static void test_watch_count_needs_a_number(void)
{
	check_usage_error((const char *const[]){ "watch", "--count", NULL },
			  "watch: option '--count' needs a value");
	check_usage_error((const char *const[]){ "watch", "-c", NULL },
			  "watch: option '-c' needs a value");
	check_usage_error((const char *const[]){ "watch", "--count", "many",
						 NULL },
			  "watch: --count 'many': 'many' is not a number");
	check_usage_error((const char *const[]){ "watch", "--count=0", NULL },
			  "watch: --count '0': '0' is below the minimum of 1");
}

static void test_watch_unknown_option_and_stray_argument_are_named(void)
{
	check_usage_error((const char *const[]){ "watch", "--range",
						 "1G-2G", NULL },
			  "watch: unknown option '--range'");
	check_usage_error((const char *const[]){ "watch", "--json", "split",
						 NULL },
			  "watch: unexpected argument 'split'");
}

/*
 * Well-formed options reach lc_open(): on the build host (no linmap
 * family) that is exit 3 with the advice, never a usage error.
 */
static void check_reaches_the_kernel(const char *const *args)
{
	struct run r;

	run(&r, args);
	switch (r.exit_code) {
	case 3:
		CHECK_CONTAINS(r.err, "collapsectl: the running kernel has no 'linmap' generic netlink family");
		break;
	case 0:
	case 1:
		SKIP("this system has a linmap family (or no netlink): the kernel answered");
		break;
	default:
		printf("# exit %d, stderr:\n", r.exit_code);
		tap_print_text(r.err);
		CHECK(r.exit_code == 3);
		break;
	}
}

static void test_good_collapse_and_watch_options_reach_the_kernel(void)
{
	check_reaches_the_kernel((const char *const[]){
		"collapse", "--range", "1G-2G", "--budget", "64", "--dry-run",
		"--json", NULL });
	check_reaches_the_kernel((const char *const[]){
		"collapse", "-n", "-b", "1", NULL });
	check_reaches_the_kernel((const char *const[]){
		"collapse", "--full", NULL });
	check_reaches_the_kernel((const char *const[]){
		"collapse", "--range", "1G-2G", "--full", "--dry-run", "--json",
		NULL });
	check_reaches_the_kernel((const char *const[]){
		"watch", "--json", "--count", "1", NULL });
	check_reaches_the_kernel((const char *const[]){
		"status", "--counts", "--format", "prometheus", NULL });
}

static void test_help_documents_commands_and_exit_codes(void)
{
	struct run r;

	run(&r, (const char *const[]){ "--help", NULL });
	CHECK_INT(r.exit_code, 0);
	CHECK_CONTAINS(r.out, "status [--range START-END | --counts] [--json | --format FORMAT]");
	CHECK_CONTAINS(r.out, "--counts           status: the kernel's counters only");
	CHECK_CONTAINS(r.out, "-f, --format FORMAT");
	CHECK_CONTAINS(r.out, "collapse [--range START-END] [--budget N] [--dry-run] [--full]\n"
			      "           [--min-age DURATION] [--json]");
	CHECK_CONTAINS(r.out, "    --min-age DURATION collapse: leave alone the page tables");
	CHECK_CONTAINS(r.out, "watch [--json] [--count N]");
	CHECK_CONTAINS(r.out, "-b, --budget N");
	CHECK_CONTAINS(r.out, "-n, --dry-run");
	CHECK_CONTAINS(r.out, "    --full             collapse: visit every region");
	CHECK_CONTAINS(r.out, "-c, --count N");
	CHECK_CONTAINS(r.out, "CAP_SYS_ADMIN");
	CHECK_CONTAINS(r.out, "Exit status:");
	CHECK_CONTAINS(r.out, "  2  usage error");
	CHECK_CONTAINS(r.out, "  3  the running kernel has no 'linmap'");
	run(&r, (const char *const[]){ "status", "--format", "xml", NULL });
	CHECK_INT(r.exit_code, 2);
	CHECK_CONTAINS(r.err, "status: --format 'xml': not one of table, json, prometheus, openmetrics");
	run(&r, (const char *const[]){ "status", "--help", NULL });
	CHECK_INT(r.exit_code, 0);
	CHECK_CONTAINS(r.out, "Usage: collapsectl");
	run(&r, (const char *const[]){ "collapse", "--help", NULL });
	CHECK_INT(r.exit_code, 0);
	CHECK_CONTAINS(r.out, "Usage: collapsectl");
	run(&r, (const char *const[]){ "watch", "-h", NULL });
	CHECK_INT(r.exit_code, 0);
	CHECK_CONTAINS(r.out, "Usage: collapsectl");
}

static void test_version_is_printed(void)
{
	struct run r;

	run(&r, (const char *const[]){ "--version", NULL });
	CHECK_INT(r.exit_code, 0);
	CHECK_CONTAINS(r.out, "collapsectl (linmap-collapse) ");
}

/*
 * A well-formed but misaligned range passes the command line and goes to
 * the kernel.  The build host has no linmap family, so that ends in exit 3
 * with the advice; on a kernel with the family the kernel's answer decides.
 */
static void check_range_is_sent_to_the_kernel(const char *range)
{
	struct run r;

	run(&r, (const char *const[]){ "status", "--range", range, "--json",
				       NULL });
	switch (r.exit_code) {
	case 3:
		CHECK_CONTAINS(r.err, "collapsectl: the running kernel has no 'linmap' generic netlink family (is the linmap-collapse series applied and CONFIG_ARM64_LINMAP=y?)");
		break;
	case 0:
		SKIP("this kernel has the linmap family and accepted the range");
		break;
	case 1:
		/* The kernel's refusal, or no netlink in this sandbox. */
		CHECK_CONTAINS(r.err, "collapsectl: ");
		SKIP("the request reached the kernel (or a netlink socket) and failed there");
		break;
	default:
		printf("# exit %d, stderr:\n", r.exit_code);
		tap_print_text(r.err);
		CHECK(r.exit_code == 3);
		break;
	}
}

static void test_misaligned_range_is_sent_to_the_kernel(void)
{
	check_range_is_sent_to_the_kernel("0x1001-0x1002");
}

/* The kernel, not the tool, refuses an empty or inverted range. */
static void test_end_not_above_start_is_sent_to_the_kernel(void)
{
	check_range_is_sent_to_the_kernel("0x2000-0x1000");
	check_range_is_sent_to_the_kernel("1G-1G");
}

static void test_daemon_options_are_checked(void)
{
	check_usage_error((const char *const[]){ "daemon", "--bogus", NULL },
			  "daemon: unknown option '--bogus'");
	check_usage_error((const char *const[]){ "daemon", "--socket", NULL },
			  "daemon: option '--socket' needs a value");
	check_usage_error((const char *const[]){ "daemon", "-s", "", NULL },
			  "daemon: --socket needs a path");
	check_usage_error((const char *const[]){ "daemon", "status", NULL },
			  "daemon: unexpected argument 'status'");
}

/* Nothing serves the socket: exit 4 and say how to start the daemon. */
static void test_daemon_not_running_exits_4_with_advice(void)
{
	struct run r;

	run(&r, (const char *const[]){ "daemon", "--socket",
				       "/nonexistent/status.sock", NULL });
	CHECK_INT(r.exit_code, 4);
	CHECK_CONTAINS(r.err, "collapsectl: collapsed is not running: nothing serves /nonexistent/status.sock");
	CHECK_CONTAINS(r.err, "systemctl start collapsed");
	CHECK_STR(r.out, "");
	run(&r, (const char *const[]){ "daemon", "--json", "-s",
				       "/nonexistent/status.sock", NULL });
	CHECK_INT(r.exit_code, 4);
	run(&r, (const char *const[]){ "--help", NULL });
	CHECK_CONTAINS(r.out, "daemon [--json] [--socket PATH]");
	CHECK_CONTAINS(r.out, "  4  daemon: collapsed is not running");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_unknown_command_is_a_usage_error),
	TAP_TEST(test_no_command_is_a_usage_error),
	TAP_TEST(test_unknown_option_is_named),
	TAP_TEST(test_missing_range_value_is_named),
	TAP_TEST(test_bad_address_is_named),
	TAP_TEST(test_stray_argument_is_a_usage_error),
	TAP_TEST(test_counts_with_a_range_is_a_usage_error),
	TAP_TEST(test_bad_budget_is_named),
	TAP_TEST(test_collapse_unknown_option_and_stray_argument_are_named),
	TAP_TEST(test_watch_count_needs_a_number),
	TAP_TEST(test_watch_unknown_option_and_stray_argument_are_named),
	TAP_TEST(test_good_collapse_and_watch_options_reach_the_kernel),
	TAP_TEST(test_help_documents_commands_and_exit_codes),
	TAP_TEST(test_version_is_printed),
	TAP_TEST(test_misaligned_range_is_sent_to_the_kernel),
	TAP_TEST(test_end_not_above_start_is_sent_to_the_kernel),
	TAP_TEST(test_daemon_options_are_checked),
	TAP_TEST(test_daemon_not_running_exits_4_with_advice),
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-COLLAPSECTL\n", argv[0]);
		return 2;
	}
	collapsectl = argv[1];
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
