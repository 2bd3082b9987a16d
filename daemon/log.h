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

#define log_err(...)		log_msg(SD_ERR, __VA_ARGS__)
#define log_warning(...)	log_msg(SD_WARNING, __VA_ARGS__)
#define log_notice(...)		log_msg(SD_NOTICE, __VA_ARGS__)
#define log_info(...)		log_msg(SD_INFO, __VA_ARGS__)
#define log_debug(...)		log_msg(SD_DEBUG, __VA_ARGS__)

#endif /* COLLAPSED_LOG_H */
