// SPDX-License-Identifier: GPL-2.0
/*
 * collapsed.conf (daemon/config.c, daemon/duration.c): defaults, every
 * key, every error path with its file:line and key, a failed reload
 * keeping the configuration in force, and `collapsed --check-config`
 * (the built binary is argv[1]).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "duration.h"
#include "tap.h"

static const char *collapsed;
static char path[64];

/* Write @text to a fresh temporary file named in path[]. */
static void write_conf(const char *text)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/collapsed-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

/* Load @text; expect -EINVAL and "@path:@line: @msg" in the error. */
static void check_error(const char *text, int line, const char *msg)
{
	struct collapsed_config cfg, before;
	char err[CONFIG_ERROR_MAX], want[CONFIG_ERROR_MAX];

	config_defaults(&cfg);
	cfg.budget = 4242;	/* a configuration "in force" */
	before = cfg;
	write_conf(text);
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:%d: %s", path, line, msg);
	CHECK_CONTAINS(err, want);
	CHECK(!memcmp(&cfg, &before, sizeof(cfg)));
	unlink(path);
}

static void test_missing_default_file_means_defaults(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX] = "x";

	memset(&cfg, 0xff, sizeof(cfg));
	CHECK_INT(config_load("/nonexistent/collapsed.conf", true, &cfg, err,
			      sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_U64(cfg.quiet_period, 5 * NSEC_PER_SEC);
	CHECK_U64(cfg.quiet_period_max, 600 * NSEC_PER_SEC);
	CHECK_U64(cfg.pingpong_window, 60 * NSEC_PER_SEC);
	CHECK_U64(cfg.resync_interval, 3600 * NSEC_PER_SEC);
	CHECK_U64(cfg.budget, 512);
	CHECK_U64(cfg.min_gain, 64);
	CHECK_STR(cfg.socket_path, "/run/collapsed/status.sock");
	CHECK_INT(cfg.socket_mode, 0660);
	CHECK_STR(cfg.socket_group, "");
}

static void test_missing_explicit_file_is_an_error(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];

	CHECK_INT(config_load("/nonexistent/collapsed.conf", false, &cfg, err,
			      sizeof(err)), -ENOENT);
	CHECK_CONTAINS(err, "/nonexistent/collapsed.conf: cannot read the configuration: No such file or directory");
}

static void test_every_key_is_read(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];

	write_conf("# comment\n"
		   "[collapse]\n"
		   "quiet_period = 250ms\n"
		   "quiet_period_max = 1h 30min\n"
		   "pingpong_window = 0\n"
		   "resync_interval = 10min\n"
		   "budget = 128\n"
		   "min_gain = 1\n"
		   "\n"
		   "[status]\n"
		   "socket = /tmp/x.sock\n"
		   "socket_mode = 0600\n"
		   "socket_group = root\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_U64(cfg.quiet_period, 250 * NSEC_PER_MSEC);
	CHECK_U64(cfg.quiet_period_max, 5400 * NSEC_PER_SEC);
	CHECK_U64(cfg.pingpong_window, 0);
	CHECK_U64(cfg.resync_interval, 600 * NSEC_PER_SEC);
	CHECK_U64(cfg.budget, 128);
	CHECK_U64(cfg.min_gain, 1);
	CHECK_STR(cfg.socket_path, "/tmp/x.sock");
	CHECK_INT(cfg.socket_mode, 0600);
	CHECK_STR(cfg.socket_group, "root");
	CHECK_INT(cfg.socket_gid, 0);
	unlink(path);
}

static void test_empty_socket_means_no_endpoint(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];

	write_conf("[status]\nsocket =\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), 0);
	CHECK_STR(cfg.socket_path, "");
	unlink(path);
}

static void test_installed_example_is_valid_and_all_defaults(void)
{
	struct collapsed_config cfg, defaults;
	char err[CONFIG_ERROR_MAX];

	CHECK_INT(config_load(SOURCE_DIR "/daemon/collapsed.conf", false, &cfg,
			      err, sizeof(err)), 0);
	CHECK_STR(err, "");
	config_defaults(&defaults);
	CHECK(!memcmp(&cfg, &defaults, sizeof(cfg)));
}

static void test_unknown_section_and_key_are_named(void)
{
	check_error("[bogus]\nkey = 1\n", 2,
		    "unknown section [bogus] (known: [collapse], [status], [metrics])");
	check_error("[collapse]\n\nquiet = 5s\n", 3,
		    "[collapse] quiet: unknown key");
	check_error("[status]\nbudget = 5\n", 2, "[status] budget: unknown key");
	check_error("budget = 5\n", 1,
		    "budget: key outside a section (put it under [collapse], [status] or [metrics])");
}

static void test_metrics_textfile_is_checked(void)
{
	check_error("[metrics]\ntextfile = linmap.prom\n", 2,
		    "[metrics] textfile: 'linmap.prom' is not an absolute path (or empty, for no metrics file)");
	check_error("[metrics]\n\ntextfile = /run/collapsed/linmap.txt\n", 3,
		    "[metrics] textfile: '/run/collapsed/linmap.txt' does not end in NAME.prom (node_exporter's textfile collector reads only *.prom files)");
	check_error("[metrics]\ntextfile = /run/collapsed/.prom\n", 2,
		    "[metrics] textfile: '/run/collapsed/.prom' does not end in NAME.prom (node_exporter's textfile collector reads only *.prom files)");
	check_error("[metrics]\nfile = /x.prom\n", 2, "[metrics] file: unknown key");
}

static void test_bad_numbers_are_named(void)
{
	check_error("[collapse]\nbudget = lots\n", 2,
		    "[collapse] budget: 'lots' is not a number");
	check_error("[collapse]\nbudget = -1\n", 2,
		    "[collapse] budget: '-1' is not a number");
	check_error("[collapse]\nmin_gain = 12k\n", 2,
		    "[collapse] min_gain: '12k' is not a number");
	check_error("[collapse]\nbudget = 0\n", 2,
		    "[collapse] budget: '0' is out of range (1 to 1048576)");
	check_error("[collapse]\nbudget = 99999999999999999999999\n", 2,
		    "[collapse] budget: '99999999999999999999999' is out of range");
}

static void test_bad_durations_are_named(void)
{
	check_error("[collapse]\nquiet_period = 5x\n", 2,
		    "[collapse] quiet_period: unknown unit 'x' in '5x' (use ms, s, min, h or d)");
	check_error("[collapse]\nquiet_period = fast\n", 2,
		    "[collapse] quiet_period: 'fast' is not a duration");
	check_error("[collapse]\nquiet_period =\n", 2,
		    "[collapse] quiet_period: empty duration");
	check_error("[collapse]\nquiet_period = 50ms\n", 2,
		    "[collapse] quiet_period: '50ms' is out of range (100ms to 1d)");
	check_error("[collapse]\nresync_interval = 99999999999999d\n", 2,
		    "[collapse] resync_interval: '99999999999999d' is too long a duration");
	check_error("[collapse]\nquiet_period = 1m\nquiet_period_max = 30s\n", 3,
		    "[collapse] quiet_period_max: 30s is below quiet_period (1min)");
	check_error("[collapse]\nquiet_period_max = 30s\nquiet_period = 1min\n", 3,
		    "[collapse] quiet_period_max: 30s is below quiet_period (1min)");
}

static void test_bad_status_keys_are_named(void)
{
	check_error("[status]\nsocket = run/x.sock\n", 2,
		    "[status] socket: 'run/x.sock' is not an absolute path");
#define LONG_PATH "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	check_error("[status]\nsocket = " LONG_PATH "\n", 2,
		    "[status] socket: '" LONG_PATH "' is longer than a UNIX socket path can be (107 bytes)");
	check_error("[status]\nsocket_mode = rw\n", 2,
		    "[status] socket_mode: 'rw' is not an octal mode (e.g. 0660)");
	check_error("[status]\nsocket_mode = 0999\n", 2,
		    "[status] socket_mode: '0999' is not an octal mode");
	check_error("[status]\nsocket_mode = 01777\n", 2,
		    "[status] socket_mode: '01777' is out of range (0 to 0777)");
	check_error("[status]\nsocket_group = no-such-group-here\n", 2,
		    "[status] socket_group: no group 'no-such-group-here' on this system");
}

static void test_key_set_twice_is_an_error(void)
{
	check_error("[collapse]\nbudget = 1\n[status]\n[collapse]\nbudget = 2\n", 5,
		    "[collapse] budget: set twice (first on line 2)");
}

static void test_indented_keys_are_keys_not_continuations(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];

	write_conf("[collapse]\n"
		   "quiet_period = 7s\n"
		   "    budget = 8\n"
		   "\tmin_gain = 9\n"
		   "  [status]\n"
		   "  socket_mode = 0600\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_U64(cfg.quiet_period, 7 * NSEC_PER_SEC);
	CHECK_U64(cfg.budget, 8);
	CHECK_U64(cfg.min_gain, 9);
	CHECK_INT(cfg.socket_mode, 0600);
	unlink(path);
	/* An indented key is still checked, on its own line. */
	check_error("[collapse]\nbudget = 8\n  budget = 9\n", 3,
		    "[collapse] budget: set twice (first on line 2)");
	check_error("[collapse]\nbudget = 8\n  min_gain = lots\n", 3,
		    "[collapse] min_gain: 'lots' is not a number");
}

static void test_hash_after_a_blank_starts_a_comment(void)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];

	write_conf("# a comment line\n"
		   "[collapse]   # the policy\n"
		   "budget = 8 # page-table pages\n"
		   "min_gain = 9\t#tab before it\n"
		   "quiet_period = 7s ; as ';' does\n"
		   "   # an indented comment line\n"
		   "[status]\n"
		   "socket = /run/a#b.sock #not part of the path\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_U64(cfg.budget, 8);
	CHECK_U64(cfg.min_gain, 9);
	CHECK_U64(cfg.quiet_period, 7 * NSEC_PER_SEC);
	CHECK_STR(cfg.socket_path, "/run/a#b.sock");
	unlink(path);
	/* A comment longer than inih's line buffer is dropped whole. */
	{
		char text[1024];

		snprintf(text, sizeof(text), "[collapse]\nbudget = 8 # %0600d\nbudget = 9\n", 0);
		check_error(text, 3, "[collapse] budget: set twice (first on line 2)");
	}
	/* Errors after comments still name their own line. */
	check_error("# one\n[collapse] # two\nbudget = 8 # three\nbudget = x # four\n",
		    4, "[collapse] budget: set twice (first on line 3)");
	check_error("[collapse]\nbudget = # nothing but a comment\n", 2,
		    "[collapse] budget: '' is not a number");
}

static void test_syntax_error_is_located(void)
{
	check_error("[collapse]\nbudget = 1\nthis is not ini\n", 3,
		    "syntax error (expected '[section]' or 'key = value')");
}

static void test_failed_reload_keeps_configuration_in_force(void)
{
	struct collapsed_config cfg, in_force;
	char err[CONFIG_ERROR_MAX];

	write_conf("[collapse]\nbudget = 7\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), 0);
	unlink(path);
	in_force = cfg;
	write_conf("[collapse]\nbudget = 9\nmin_gain = none\n");
	CHECK_INT(config_load(path, false, &cfg, err, sizeof(err)), -EINVAL);
	CHECK(!memcmp(&cfg, &in_force, sizeof(cfg)));
	CHECK_U64(cfg.budget, 7);
	CHECK_CONTAINS(err, ":3: [collapse] min_gain: 'none' is not a number");
	unlink(path);
}

static void test_durations_parse_and_format(void)
{
	char why[128], buf[64];
	uint64_t ns;

	CHECK_INT(duration_parse("250ms", &ns, why, sizeof(why)), 0);
	CHECK_U64(ns, 250 * NSEC_PER_MSEC);
	CHECK_INT(duration_parse("10", &ns, why, sizeof(why)), 0);
	CHECK_U64(ns, 10 * NSEC_PER_SEC);
	CHECK_INT(duration_parse(" 1h30min ", &ns, why, sizeof(why)), 0);
	CHECK_U64(ns, 5400 * NSEC_PER_SEC);
	CHECK_INT(duration_parse("2d", &ns, why, sizeof(why)), 0);
	CHECK_U64(ns, 172800 * NSEC_PER_SEC);
	CHECK_INT(duration_parse("1.5s", &ns, why, sizeof(why)), -EINVAL);
	duration_format(buf, sizeof(buf), 5400 * NSEC_PER_SEC + 250 * NSEC_PER_MSEC);
	CHECK_STR(buf, "1h 30min 250ms");
	duration_format(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0");
	duration_format(buf, sizeof(buf), 600 * NSEC_PER_SEC);
	CHECK_STR(buf, "10min");
}

/* Run collapsed with @a and @b; exit code, stdout+stderr in @out. */
static int run_collapsed(const char *a, const char *b, const char *c,
			 char *out, size_t size)
{
	FILE *f = tmpfile();
	int status;
	size_t n;
	pid_t pid;

	if (!f)
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(f), STDOUT_FILENO);
		dup2(fileno(f), STDERR_FILENO);
		execl(collapsed, collapsed, a, b, c, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		abort();
	rewind(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_check_config_exits_0_valid_1_invalid(void)
{
	char out[2048];

	if (!collapsed) {
		SKIP("no collapsed binary given");
		return;
	}
	write_conf("[collapse]\nbudget = 8\n");
	CHECK_INT(run_collapsed("--check-config", "-c", path, out, sizeof(out)), 0);
	CHECK_CONTAINS(out, ": valid");
	unlink(path);
	write_conf("[collapse]\nbudget = 8\nwhat = 1\n");
	CHECK_INT(run_collapsed("--check-config", "--config", path, out,
				sizeof(out)), 1);
	CHECK_CONTAINS(out, ":3: [collapse] what: unknown key");
	unlink(path);
	CHECK_INT(run_collapsed("--check-config", "-c", "/nonexistent.conf",
				out, sizeof(out)), 1);
	CHECK_CONTAINS(out, "/nonexistent.conf: cannot read the configuration");
	CHECK_INT(run_collapsed("--bogus", NULL, NULL, out, sizeof(out)), 2);
}

static void test_bad_configuration_at_start_exits_78_not_restarted(void)
{
	char out[2048], unit[4096];
	FILE *f;
	size_t n;

	if (!collapsed) {
		SKIP("no collapsed binary given");
		return;
	}
	write_conf("[collapse]\nquiet_period = soon\n");
	CHECK_INT(run_collapsed("-c", path, NULL, out, sizeof(out)), 78);
	CHECK_CONTAINS(out, ":2: [collapse] quiet_period: ");
	unlink(path);
	CHECK_INT(run_collapsed("-c", "/nonexistent.conf", NULL, out,
				sizeof(out)), 78);
	CHECK_CONTAINS(out, "/nonexistent.conf: cannot read the configuration");

	/* ... and the unit does not restart on it. */
	f = fopen(SOURCE_DIR "/systemd/collapsed.service.in", "re");
	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(unit, 1, sizeof(unit) - 1, f);
	unit[n] = '\0';
	fclose(f);
	CHECK_CONTAINS(unit, "\nRestartPreventExitStatus=78\n");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_missing_default_file_means_defaults),
	TAP_TEST(test_missing_explicit_file_is_an_error),
	TAP_TEST(test_every_key_is_read),
	TAP_TEST(test_empty_socket_means_no_endpoint),
	TAP_TEST(test_installed_example_is_valid_and_all_defaults),
	TAP_TEST(test_unknown_section_and_key_are_named),
	TAP_TEST(test_bad_numbers_are_named),
	TAP_TEST(test_bad_durations_are_named),
	TAP_TEST(test_bad_status_keys_are_named),
	TAP_TEST(test_key_set_twice_is_an_error),
	TAP_TEST(test_syntax_error_is_located),
	TAP_TEST(test_indented_keys_are_keys_not_continuations),
	TAP_TEST(test_hash_after_a_blank_starts_a_comment),
	TAP_TEST(test_failed_reload_keeps_configuration_in_force),
	TAP_TEST(test_durations_parse_and_format),
	TAP_TEST(test_metrics_textfile_is_checked),
	TAP_TEST(test_check_config_exits_0_valid_1_invalid),
	TAP_TEST(test_bad_configuration_at_start_exits_78_not_restarted),
};

int main(int argc, char **argv)
{
	if (argc > 1)
		collapsed = argv[1];
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
