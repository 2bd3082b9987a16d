/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging to stderr with sd-daemon priority prefixes ("<3>" for SD_ERR...),
 * so that journald files each line under its priority when the daemon runs
 * under systemd, and a terminal still reads well when it does not.
 */
#ifndef COLLAPSED_LOG_H
#define COLLAPSED_LOG_H

#include <stdbool.h>

#include <systemd/sd-daemon.h>

/* Debug messages (SD_DEBUG) are dropped unless verbose. */
void log_set_verbose(bool verbose);

/* One line at priority @prio (SD_ERR, SD_WARNING, SD_NOTICE, ...). */
void log_msg(const char *prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Journal events: the messages an operator or a monitoring rule looks for,
 * each with a MESSAGE_ID (systemd/collapsed.catalog explains them:
 * journalctl -x) and its figures as fields, so that
 * "journalctl MESSAGE_ID=..." finds them and "-o json" reads the numbers.
 */
#define LOG_ID_COLLAPSE_DONE	"03713bf5520d4d57870fb6ea7a31b79e"
#define LOG_ID_DEGRADED		"f969935cc6c94a0190299ddd1b6e736a"
#define LOG_ID_CONFIG_REJECTED	"ec1214bb538d492188f87b4b8e032fbe"
#define LOG_ID_EVENTS_LOST	"38c874c3e3444e8a8cc175f7d3b4ec45"

#define LOG_FIELD_MAX	16

/* One journal field: "LINMAP_FOLDS" and its value as text. */
struct log_field {
	const char *name;
	char value[512];
};

/* A field with a number / a string value. */
void log_field_u64(struct log_field *f, const char *name, unsigned long long v);
void log_field_str(struct log_field *f, const char *name, const char *v);

/*
 * Log @fmt at @prio (SD_ERR...) as event @message_id with @fields.  When
 * stderr is the journal (JOURNAL_STREAM), the entry goes through
 * sd_journal_sendv() with its fields; otherwise it is a log_msg() line.
 */
void log_event(const char *message_id, const char *prio,
	       const struct log_field *fields, int n_fields,
	       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define log_err(...)		log_msg(SD_ERR, __VA_ARGS__)
#define log_warning(...)	log_msg(SD_WARNING, __VA_ARGS__)
#define log_notice(...)		log_msg(SD_NOTICE, __VA_ARGS__)
#define log_info(...)		log_msg(SD_INFO, __VA_ARGS__)
#define log_debug(...)		log_msg(SD_DEBUG, __VA_ARGS__)

#endif /* COLLAPSED_LOG_H */
