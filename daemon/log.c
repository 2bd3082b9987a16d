// SPDX-License-Identifier: GPL-2.0
/*
 * Logging: one line per message on stderr, prefixed with the sd-daemon
 * priority.  stderr is unbuffered, and each line goes out in one write so
 * that lines of concurrent writers never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

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

void log_field_u64(struct log_field *f, const char *name, unsigned long long v)
{
	f->name = name;
	snprintf(f->value, sizeof(f->value), "%llu", v);
}

void log_field_str(struct log_field *f, const char *name, const char *v)
{
	f->name = name;
	snprintf(f->value, sizeof(f->value), "%s", v);
}

/* stderr is connected to journald (systemd sets JOURNAL_STREAM=dev:ino). */
static bool log_to_journal(void)
{
	static int cached = -1;
	unsigned long long dev, ino;
	const char *e;
	struct stat st;

	if (cached >= 0)
		return cached;
	e = getenv("JOURNAL_STREAM");
	cached = e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
		 fstat(STDERR_FILENO, &st) == 0 &&
		 (unsigned long long)st.st_dev == dev &&
		 (unsigned long long)st.st_ino == ino;
	return cached;
}

void log_event(const char *message_id, const char *prio,
	       const struct log_field *fields, int n_fields,
	       const char *fmt, ...)
{
	/* MESSAGE, MESSAGE_ID, PRIORITY, SYSLOG_IDENTIFIER and the fields */
	char text[LOG_FIELD_MAX + 3][600];
	struct iovec iov[LOG_FIELD_MAX + 4];
	char message[1024], msg_field[1040];
	va_list ap;
	int i, n = 0;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (!log_to_journal() || n_fields > LOG_FIELD_MAX) {
		log_msg(prio, "%s", message);
		return;
	}
	/* sd-daemon prefixes are "<N>": PRIORITY= takes the digit. */
	snprintf(text[n++], sizeof(text[0]), "PRIORITY=%c", prio[1]);
	snprintf(text[n++], sizeof(text[0]), "MESSAGE_ID=%s", message_id);
	snprintf(text[n++], sizeof(text[0]), "SYSLOG_IDENTIFIER=collapsed");
	for (i = 0; i < n_fields; i++)
		snprintf(text[n++], sizeof(text[0]), "%s=%s", fields[i].name,
			 fields[i].value);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = text[i];
		iov[i].iov_len = strlen(text[i]);
	}
	/* MESSAGE= may be longer than the fields' buffers. */
	snprintf(msg_field, sizeof(msg_field), "MESSAGE=%s", message);
	iov[n].iov_base = msg_field;
	iov[n].iov_len = strlen(msg_field);
	n++;
	if (sd_journal_sendv(iov, n) < 0)
		log_msg(prio, "%s", message);
}
