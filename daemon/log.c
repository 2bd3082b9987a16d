// SPDX-License-Identifier: GPL-2.0
/*
 * Logging: one line per message on stderr, prefixed with the sd-daemon
 * priority.  stderr is unbuffered, and each line goes out in one write so
 * that lines of concurrent writers never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static bool log_verbose;

void log_set_verbose(bool verbose)
{
	log_verbose = verbose;
}

void log_msg(const char *prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int len, n;

	if (!log_verbose && !strcmp(prio, SD_DEBUG))
		return;
	len = snprintf(line, sizeof(line), "%s", prio);
	va_start(ap, fmt);
	n = vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len += n;
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	/* Nothing sensible is left to do if stderr is gone. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}
