// SPDX-License-Identifier: GPL-2.0
/*
 * collapsectl: look at (and, later, repair) the arm64 kernel's linear map
 * through libcollapse.
 *
 * Exit status is part of the interface (see usage()): scripts and the VM
 * tests tell "the kernel said no" (1) from "you typed it wrong" (2) from
 * "this kernel cannot do it at all" (3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcollapse.h>

#include "print.h"
#include "range.h"

#ifndef LINMAP_VERSION
#define LINMAP_VERSION "unknown"
#endif

enum collapsectl_exit {
	EXIT_OK		= 0,	/* done */
	EXIT_RUNTIME	= 1,	/* the kernel refused, or another runtime error */
	EXIT_USAGE	= 2,	/* bad command line */
	EXIT_NO_FAMILY	= 3,	/* the kernel has no "linmap" family */
};

static const char *const usage_text =
	"Usage: collapsectl [--help] [--version] COMMAND [OPTIONS]\n"
	"\n"
	"Show how the arm64 kernel's linear map (the direct map of all RAM) is\n"
	"mapped: which leaf sizes, how fragmented, how much could be restored.\n"
	"\n"
	"Commands:\n"
	"  status [--range START-END] [--json]\n"
	"      The kernel's capabilities and the leaf counts of the linear map\n"
	"      (or of the physical range [START, END)), with the restoration\n"
	"      ratio: leaves / ideal leaves, 1.00 = fully restored.\n"
	"\n"
	"Options:\n"
	"  -r, --range START-END  physical address range, END exclusive; each\n"
	"                         address is hex (0x40000000) or decimal with an\n"
	"                         optional K, M or G suffix (1G-2G)\n"
	"  -j, --json             machine-readable JSON output\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"Exit status:\n"
	"  0  success\n"
	"  1  the kernel refused the request (its reason is printed), or\n"
	"     another runtime error\n"
	"  2  usage error: unknown command or option, missing value, bad\n"
	"     address or range\n"
	"  3  the running kernel has no 'linmap' generic netlink family: boot a\n"
	"     kernel with the linmap-collapse series and CONFIG_ARM64_LINMAP=y\n";

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

static int cmd_status(int argc, char **argv)
{
	static const struct option options[] = {
		{ "range",	required_argument,	NULL, 'r' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	enum print_format format = PRINT_TABLE;
	struct lc_range range, *rangep = NULL;
	struct lc_caps caps;
	struct lc_stats stats;
	struct lc_ctx *ctx;
	char why[160];
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:r:jh", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_range(optarg, &range, why, sizeof(why)))
				return usage_error("status: --range '%s': %s",
						   optarg, why);
			rangep = &range;
			break;
		case 'j':
			format = PRINT_JSON;
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

	ret = open_ctx(&ctx);
	if (ret)
		return ret;

	ret = EXIT_RUNTIME;
	if (lc_get_caps(ctx, &caps) < 0 ||
	    lc_get_stats(ctx, rangep, &stats) < 0) {
		fprintf(stderr, "collapsectl: %s\n", lc_strerror(ctx));
		goto out;
	}
	if (print_ops_get(format)->status(stdout, &caps, &stats) < 0) {
		fprintf(stderr, "collapsectl: cannot format the output: %s\n",
			strerror(ENOMEM));
		goto out;
	}
	ret = finish_output();
out:
	lc_close(ctx);
	return ret;
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command */
};

static const struct command commands[] = {
	{ "status", cmd_status },
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
