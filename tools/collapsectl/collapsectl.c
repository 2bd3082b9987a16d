// SPDX-License-Identifier: GPL-2.0
/*
 * collapsectl: look at and repair the arm64 kernel's linear map, and watch
 * its events, through libcollapse.
 *
 * Exit status is part of the interface (see usage()): scripts and the VM
 * tests tell "the kernel said no" (1) from "you typed it wrong" (2) from
 * "this kernel cannot do it at all" (3).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libcollapse.h>

#include "count.h"
#include "duration.h"
#include "daemon-client.h"
#include "metrics.h"
#include "print.h"
#include "range.h"
#include "status-stats.h"

#ifndef LINMAP_VERSION
#define LINMAP_VERSION "unknown"
#endif

enum collapsectl_exit {
	EXIT_OK		= 0,	/* done */
	EXIT_RUNTIME	= 1,	/* the kernel refused, or another runtime error */
	EXIT_USAGE	= 2,	/* bad command line */
	EXIT_NO_FAMILY	= 3,	/* the kernel has no "linmap" family */
	EXIT_NO_DAEMON	= 4,	/* collapsed is not running */
};

static const char *const usage_text =
	"Usage: collapsectl [--help] [--version] COMMAND [OPTIONS]\n"
	"\n"
	"Show how the arm64 kernel's linear map (the direct map of all RAM) is\n"
	"mapped: which leaf sizes, how fragmented, how much could be restored;\n"
	"fold it back into large leaves; watch it being split and collapsed.\n"
	"\n"
	"Commands:\n"
	"  status [--range START-END | --counts] [--json | --format FORMAT]\n"
	"      The kernel's capabilities and the leaf counts of the linear map\n"
	"      (or of the physical range [START, END)), with the restoration\n"
	"      ratio: leaves / ideal leaves, 1.00 = fully restored; and the\n"
	"      splits, folds and freed tables since boot.  The ideal, the\n"
	"      restoration and the invalid entries come from a walk of the\n"
	"      map, which needs CAP_SYS_ADMIN: root walks (unless --counts);\n"
	"      other users get the kernel's counters only.  With split\n"
	"      tracking: the region size and the regions marked as split or\n"
	"      changed, which the next collapse visits.\n"
	"  collapse [--range START-END] [--budget N] [--dry-run] [--full]\n"
	"           [--min-age DURATION] [--json]\n"
	"      Fold the linear map (or the tables mapping [START, END)) back\n"
	"      into the largest leaves its attributes allow, and show what was\n"
	"      folded, freed and skipped, and why, and the regions visited:\n"
	"      those the kernel marked as split or changed, or every one with\n"
	"      --full.  Without --budget it runs to the end in steps of the\n"
	"      kernel's default size (progress on a terminal; Ctrl-C stops\n"
	"      between steps and prints the command that continues); with\n"
	"      --budget it makes one step of at most N page-table pages and\n"
	"      prints the command that continues.  Needs CAP_SYS_ADMIN (root)\n"
	"      and a system with BBML3 whose linear map is block-capable.\n"
	"  watch [--json] [--count N]\n"
	"      Print one line per kernel event (leaves split, a collapse ran)\n"
	"      as it arrives; if events were lost, a warning and a line with\n"
	"      the current state.  Runs until interrupted, or N events.\n"
	"  daemon [--json] [--socket PATH]\n"
	"      What the collapsed daemon is doing: its state, the last collapse,\n"
	"      its totals and the linear map at its last look, read from its\n"
	"      status socket (default " DAEMON_DEFAULT_SOCKET ").\n"
	"      Readable by root and the group set in collapsed.conf.\n"
	"\n"
	"Options:\n"
	"  -r, --range START-END  physical address range, END exclusive; each\n"
	"                         address is hex (0x40000000) or decimal with an\n"
	"                         optional K, M or G suffix (1G-2G); status:\n"
	"                         needs CAP_SYS_ADMIN (root)\n"
	"      --counts           status: the kernel's counters only, no walk\n"
	"                         (no ideal, restoration or invalid entries),\n"
	"                         even as root\n"
	"  -b, --budget N         collapse: page-table pages to scan, N >= 1\n"
	"  -n, --dry-run          collapse: count what would be folded, change\n"
	"                         nothing\n"
	"      --full             collapse: visit every region, not only those\n"
	"                         the kernel marked as split or changed (a\n"
	"                         kernel before split tracking always does)\n"
	"      --min-age DURATION collapse: leave alone the page tables split\n"
	"                         or changed less than DURATION ago (\"5s\",\n"
	"                         \"250ms\"; at most 1d); they stay marked\n"
	"  -c, --count N          watch: exit after N events, N >= 1\n"
	"  -s, --socket PATH      daemon: the status socket to read\n"
	"  -j, --json             machine-readable JSON output (watch: one\n"
	"                         object per line)\n"
	"  -f, --format FORMAT    status: table (default), json, prometheus\n"
	"                         (text format 0.0.4, as node_exporter's\n"
	"                         textfile collector reads it) or openmetrics\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  the kernel refused the request (its reason is printed: collapse\n"
	"     needs CAP_SYS_ADMIN, and a system that can collapse), or another\n"
	"     runtime error\n"
	"  2  usage error: unknown command or option, missing value, bad\n"
	"     address or range\n"
	"  3  the running kernel has no 'linmap' generic netlink family: boot a\n"
	"     kernel with the linmap-collapse series and CONFIG_ARM64_LINMAP=y\n"
	"  4  daemon: collapsed is not running (nothing serves the socket):\n"
	"     start it with 'systemctl start collapsed'\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("collapsectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try 'collapsectl --help')\n", stderr);
	return EXIT_USAGE;
}

/*
 * Report getopt's complaint (c is '?' or ':') as a usage error naming the
 * option as typed: "--name" for long options, "-x" for short ones.
 */
static int option_error(const char *prefix, char **argv, int c)
{
	const char *arg = argv[optind - 1];
	char name[64];
	size_t len;

	if (!strncmp(arg, "--", 2)) {
		len = strcspn(arg, "=");
		snprintf(name, sizeof(name), "%.*s", (int)len, arg);
	} else {
		snprintf(name, sizeof(name), "-%c", optopt ? optopt : '?');
	}
	if (c == ':')
		return usage_error("%soption '%s' needs a value", prefix, name);
	return usage_error("%sunknown option '%s'", prefix, name);
}

static int open_ctx(struct lc_ctx **ctx)
{
	int err = lc_open(ctx);

	if (!err)
		return EXIT_OK;
	fprintf(stderr, "collapsectl: %s\n", lc_strerror(NULL));
	return err == LC_ERR_NO_FAMILY ? EXIT_NO_FAMILY : EXIT_RUNTIME;
}

static int finish_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "collapsectl: cannot write the output: %s\n",
			strerror(errno));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* Long options without a short form. */
enum {
	OPT_COUNTS = 256,
	OPT_FULL,
	OPT_MIN_AGE,
};

static int cmd_status(int argc, char **argv)
{
	static const struct option options[] = {
		{ "range",	required_argument,	NULL, 'r' },
		{ "counts",	no_argument,		NULL, OPT_COUNTS },
		{ "json",	no_argument,		NULL, 'j' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	enum print_format format = PRINT_TABLE;
	int metrics = -1;	/* enum metrics_dialect, or -1: not metrics */
	struct lc_range range, *rangep = NULL;
	bool counts_only = false;
	struct lc_caps caps;
	struct lc_stats stats;
	struct lc_ctx *ctx;
	char why[160], refusal[512];
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:r:jf:h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_range(optarg, &range, why, sizeof(why)))
				return usage_error("status: --range '%s': %s",
						   optarg, why);
			rangep = &range;
			break;
		case OPT_COUNTS:
			counts_only = true;
			break;
		case 'j':
			format = PRINT_JSON;
			metrics = -1;
			break;
		case 'f':
			metrics = -1;
			if (!strcmp(optarg, "table"))
				format = PRINT_TABLE;
			else if (!strcmp(optarg, "json"))
				format = PRINT_JSON;
			else if (!strcmp(optarg, "prometheus"))
				metrics = METRICS_PROMETHEUS;
			else if (!strcmp(optarg, "openmetrics"))
				metrics = METRICS_OPENMETRICS;
			else
				return usage_error("status: --format '%s': not one of table, json, prometheus, openmetrics",
						   optarg);
			break;
		case 'h':
			usage(stdout);
			return finish_output();
		default:
			return option_error("status: ", argv, c);
		}
	}
	if (optind < argc)
		return usage_error("status: unexpected argument '%s'",
				   argv[optind]);
	if (counts_only && rangep)
		return usage_error("status: --counts and --range exclude each other (the statistics of a range come from a walk)");

	ret = open_ctx(&ctx);
	if (ret)
		return ret;

	/*
	 * Root walks the map for the ideal, the restoration and the invalid
	 * entries; other users read the counters, which need no privilege,
	 * and are told in the output what the walk would add.
	 */
	ret = EXIT_RUNTIME;
	if (lc_get_caps(ctx, &caps, sizeof(caps)) < 0 ||
	    status_read_stats(ctx, rangep,
			      status_wants_walk(counts_only, geteuid()),
			      &stats, refusal, sizeof(refusal)) < 0) {
		fprintf(stderr, "collapsectl: %s\n", lc_strerror(ctx));
		goto out;
	}
	if (refusal[0])
		fprintf(stderr,
			"collapsectl: warning: the kernel refused the walk (%s): showing its counters only, without the ideal, the restoration and the invalid entries\n",
			refusal);
	if (metrics >= 0) {
		struct metrics m;

		metrics_begin(&m, stdout, (enum metrics_dialect)metrics);
		metrics_kernel(&m, &caps, &stats);
		metrics_end(&m);
	} else if (print_ops_get(format)->status(stdout, &caps, &stats) < 0) {
		fprintf(stderr, "collapsectl: cannot format the output: %s\n",
			strerror(ENOMEM));
		goto out;
	}
	ret = finish_output();
out:
	lc_close(ctx);
	return ret;
}

/* SIGINT or SIGTERM arrived: "watch" and "collapse" stop cleanly. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * Between two collapse steps (no kernel lock held): show progress on a
 * terminal, and stop if asked to.  SA_RESTART keeps a request in flight
 * going; the flag is looked at here only.
 */
static int collapse_progress(const struct lc_collapse_result *sum, void *arg)
{
	const struct lc_collapse_req *req = arg;
	char regions[48] = "";
	uint64_t folds = 0;
	int i;

	if (stop_requested)
		return -EINTR;
	if (!isatty(STDERR_FILENO))
		return 0;
	for (i = 0; i < LC_LEVEL_NR; i++)
		folds += sum->folds[i];
	if (sum->has_regions_scanned)
		snprintf(regions, sizeof(regions), "%" PRIu64 " regions, ",
			 sum->regions_scanned);
	fprintf(stderr, "\rcollapsectl: %s%s%" PRIu64 " tables scanned, %" PRIu64
		" leaves folded, %" PRIu64 " tables freed; next 0x%" PRIx64 " (Ctrl-C stops)",
		req->dry_run ? "dry run: " : "", regions, sum->tables_scanned,
		folds, sum->tables_freed, sum->next);
	return 0;
}

static void collapse_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Print the failure of @ctx, and what to do about the usual ones. */
static void collapse_failed(struct lc_ctx *ctx, int err,
			    const struct lc_collapse_req *req,
			    const struct lc_collapse_result *done)
{
	char opts[96];

	fprintf(stderr, "collapsectl: %s\n", lc_strerror(ctx));
	if (err == -EPERM)
		fprintf(stderr,
			"collapsectl: collapse needs CAP_SYS_ADMIN: run it as root\n");
	if (err == -EINTR)
		fprintf(stderr, "collapsectl: interrupted between two steps: the linear map is consistent\n");
	if (done->tables_scanned && done->has_next && done->has_range)
		fprintf(stderr,
			"collapsectl: the steps before the failure scanned %" PRIu64
			" tables and freed %" PRIu64 "; continue with: collapsectl collapse --range 0x%" PRIx64
			"-0x%" PRIx64 "%s\n",
			done->tables_scanned, done->tables_freed, done->next,
			done->end, print_continue_options(opts, sizeof(opts), req));
}

static int cmd_collapse(int argc, char **argv)
{
	static const struct option options[] = {
		{ "range",	required_argument,	NULL, 'r' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "full",	no_argument,		NULL, OPT_FULL },
		{ "min-age",	required_argument,	NULL, OPT_MIN_AGE },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	enum print_format format = PRINT_TABLE;
	struct lc_collapse_req req = { 0 };
	struct lc_collapse_result result;
	struct lc_ctx *ctx;
	char why[160];
	int c, err, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:r:b:njh", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_range(optarg, &req.range, why, sizeof(why)))
				return usage_error("collapse: --range '%s': %s",
						   optarg, why);
			req.has_range = true;
			break;
		case 'b':
			if (parse_count(optarg, 1, &req.budget, why, sizeof(why)))
				return usage_error("collapse: --budget '%s': %s (leave --budget out for no limit)",
						   optarg, why);
			break;
		case 'n':
			req.dry_run = true;
			break;
		case OPT_FULL:
			req.full_scan = true;
			break;
		case OPT_MIN_AGE: {
			uint64_t ns;

			if (duration_parse(optarg, &ns, why, sizeof(why)))
				return usage_error("collapse: --min-age '%s': %s",
						   optarg, why);
			if (ns > UINT64_C(86400000000000))
				return usage_error("collapse: --min-age '%s': at most 1d (the kernel's limit)",
						   optarg);
			/* whole milliseconds, rounded up: never younger than asked */
			req.min_age_msecs = (uint32_t)((ns + 999999) / 1000000);
			break;
		}
		case 'j':
			format = PRINT_JSON;
			break;
		case 'h':
			usage(stdout);
			return finish_output();
		default:
			return option_error("collapse: ", argv, c);
		}
	}
	if (optind < argc)
		return usage_error("collapse: unexpected argument '%s'",
				   argv[optind]);

	ret = open_ctx(&ctx);
	if (ret)
		return ret;

	/*
	 * With a budget the operator asked for one bounded step; without one
	 * lc_collapse_each() steps through the range with the kernel's default
	 * budget (each step a request of its own, the kernel's locks dropped
	 * in between), showing progress on a terminal; Ctrl-C stops between
	 * two steps and prints how to continue.
	 */
	if (req.budget) {
		err = lc_collapse(ctx, &req, sizeof(req), &result, sizeof(result));
	} else {
		collapse_catch_signals();
		err = lc_collapse_each(ctx, &req, sizeof(req), &result,
				       sizeof(result), collapse_progress, &req);
		if (isatty(STDERR_FILENO) && result.tables_scanned)
			fputc('\n', stderr);
	}
	ret = EXIT_RUNTIME;
	if (err < 0) {
		if (req.budget)
			memset(&result, 0, sizeof(result));
		collapse_failed(ctx, err, &req, &result);
		goto out;
	}
	if (print_ops_get(format)->collapse(stdout, &req, &result) < 0) {
		fprintf(stderr, "collapsectl: cannot format the output: %s\n",
			strerror(ENOMEM));
		goto out;
	}
	ret = finish_output();
out:
	lc_close(ctx);
	return ret;
}


/*
 * SIGINT and SIGTERM end "watch" cleanly.  They stay blocked except inside
 * ppoll() (which then fails with EINTR), so one arriving between the check
 * of stop_requested and the wait cannot be missed.  *@wait_mask is the mask to
 * wait with.
 */
static void watch_catch_signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
}

/*
 * After lost events: say so, and print the state the events add up to:
 * the leaves and the counters since boot.  The kernel's counters have
 * them, so no walk: events are lost in bursts of splits, when the map is
 * at its most fragmented and a walk the costliest.
 */
static int watch_resync(struct lc_ctx *ctx, const struct print_ops *ops)
{
	struct lc_stats stats;

	fprintf(stderr, "collapsectl: warning: events were lost; current state:\n");
	if (lc_get_stats(ctx, NULL, &stats, sizeof(stats)) < 0) {
		fprintf(stderr, "collapsectl: %s\n", lc_strerror(ctx));
		return EXIT_RUNTIME;
	}
	if (ops->lost(stdout, &stats, time(NULL)) < 0) {
		fprintf(stderr, "collapsectl: cannot format the output: %s\n",
			strerror(ENOMEM));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int cmd_watch(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	enum print_format format = PRINT_TABLE;
	const struct print_ops *ops;
	struct lc_events *evs;
	struct lc_ctx *ctx;
	struct lc_event ev;
	sigset_t wait_mask;
	uint64_t count = 0, seen = 0;
	char why[160];
	int c, err, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:jc:h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			format = PRINT_JSON;
			break;
		case 'c':
			if (parse_count(optarg, 1, &count, why, sizeof(why)))
				return usage_error("watch: --count '%s': %s",
						   optarg, why);
			break;
		case 'h':
			usage(stdout);
			return finish_output();
		default:
			return option_error("watch: ", argv, c);
		}
	}
	if (optind < argc)
		return usage_error("watch: unexpected argument '%s'",
				   argv[optind]);
	ops = print_ops_get(format);

	err = lc_events_open(&evs);
	if (err) {
		fprintf(stderr, "collapsectl: %s\n", lc_strerror(NULL));
		return err == LC_ERR_NO_FAMILY ? EXIT_NO_FAMILY : EXIT_RUNTIME;
	}
	/* For resynchronising after lost events. */
	ret = open_ctx(&ctx);
	if (ret) {
		lc_events_close(evs);
		return ret;
	}
	watch_catch_signals(&wait_mask);

	ret = EXIT_OK;
	while (!stop_requested && (!count || seen < count)) {
		struct pollfd pfd = { .fd = lc_events_fd(evs), .events = POLLIN };

		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "collapsectl: watch: ppoll: %s\n",
				strerror(errno));
			ret = EXIT_RUNTIME;
			break;
		}
		/* Read until none is pending, or enough were printed. */
		while (!count || seen < count) {
			err = lc_events_read(evs, &ev, sizeof(ev));
			if (err == 0)
				break;
			if (err == 1) {
				if (ops->event(stdout, &ev, time(NULL)) < 0) {
					fprintf(stderr, "collapsectl: cannot format the output: %s\n",
						strerror(ENOMEM));
					ret = EXIT_RUNTIME;
					goto out;
				}
				seen++;
			} else if (err == -ENOBUFS) {
				ret = watch_resync(ctx, ops);
				if (ret)
					goto out;
			} else if (err == -EPROTO) {
				fprintf(stderr, "collapsectl: warning: %s\n",
					lc_events_strerror(evs));
			} else {
				fprintf(stderr, "collapsectl: %s\n",
					lc_events_strerror(evs));
				ret = EXIT_RUNTIME;
				goto out;
			}
			/* A line at a time, for whoever reads the pipe. */
			ret = finish_output();
			if (ret)
				goto out;
		}
	}
out:
	lc_close(ctx);
	lc_events_close(evs);
	return ret;
}

/* Print why the status could not be read, and what to do; the exit code. */
static int daemon_read_failed(const char *path, int err)
{
	switch (err) {
	case -ENOENT:
	case -ECONNREFUSED:
		fprintf(stderr,
			"collapsectl: collapsed is not running: nothing serves %s (start it with 'systemctl start collapsed', or pass --socket if it uses another path)\n",
			path);
		return EXIT_NO_DAEMON;
	case -EACCES:
	case -EPERM:
		fprintf(stderr,
			"collapsectl: permission denied on %s: run as root, or as a member of the group set as socket_group in /etc/linmap/collapsed.conf (and SocketGroup= in collapsed.socket)\n",
			path);
		return EXIT_RUNTIME;
	case -ECONNRESET:
		fprintf(stderr,
			"collapsectl: collapsed closed %s without an answer: your user may not read its status (root, or the group set as socket_group in /etc/linmap/collapsed.conf)\n",
			path);
		return EXIT_RUNTIME;
	case -ETIMEDOUT:
		fprintf(stderr,
			"collapsectl: collapsed did not answer on %s within %d s: see 'journalctl -u collapsed'\n",
			path, DAEMON_TIMEOUT_MS / 1000);
		return EXIT_RUNTIME;
	default:
		fprintf(stderr, "collapsectl: cannot read the status from %s: %s\n",
			path, strerror(-err));
		return EXIT_RUNTIME;
	}
}

static int cmd_daemon(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	enum print_format format = PRINT_TABLE;
	const char *path = DAEMON_DEFAULT_SOCKET;
	char *text;
	cJSON *doc;
	int c, err, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:js:h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			format = PRINT_JSON;
			break;
		case 's':
			if (!*optarg)
				return usage_error("daemon: --socket needs a path");
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return finish_output();
		default:
			return option_error("daemon: ", argv, c);
		}
	}
	if (optind < argc)
		return usage_error("daemon: unexpected argument '%s'",
				   argv[optind]);

	err = daemon_status_read(path, &text);
	if (err < 0)
		return daemon_read_failed(path, err);
	doc = cJSON_Parse(text);
	if (!cJSON_IsObject(doc) ||
	    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "schema"))) {
		fprintf(stderr,
			"collapsectl: %s did not answer with a collapsed status document (is it collapsed's socket?)\n",
			path);
		ret = EXIT_RUNTIME;
		goto out;
	}
	ret = EXIT_RUNTIME;
	if (print_ops_get(format)->daemon(stdout, text, doc) < 0) {
		fprintf(stderr, "collapsectl: cannot format the output: %s\n",
			strerror(ENOMEM));
		goto out;
	}
	ret = finish_output();
out:
	cJSON_Delete(doc);
	free(text);
	return ret;
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command */
};

static const struct command commands[] = {
	{ "status", cmd_status },
	{ "collapse", cmd_collapse },
	{ "watch", cmd_watch },
	{ "daemon", cmd_daemon },
};

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ 0 }
	};
	size_t i;
	int c;

	opterr = 0;	/* report option errors ourselves, naming the option */
	while ((c = getopt_long(argc, argv, "+:hV", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return finish_output();
		case 'V':
			printf("collapsectl (linmap-collapse) %s\n",
			       LINMAP_VERSION);
			return finish_output();
		default:
			return option_error("", argv, c);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return usage_error("no command given");
	}

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].run(argc - optind, argv + optind);

	return usage_error("unknown command '%s'", argv[optind]);
}
