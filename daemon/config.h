/* SPDX-License-Identifier: GPL-2.0 */
/*
 * collapsed.conf: the daemon's configuration, an ini file read with inih.
 * Every key, its default and its unit are listed in collapsed.conf(5) and
 * in the commented example (daemon/collapsed.conf).
 */
#ifndef COLLAPSED_CONFIG_H
#define COLLAPSED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

/* sysconfdir/linmap/collapsed.conf, set by meson. */
#ifndef CONFIG_DEFAULT_PATH
#define CONFIG_DEFAULT_PATH	"/etc/linmap/collapsed.conf"
#endif
#define CONFIG_DEFAULT_SOCKET	"/run/collapsed/status.sock"

/* Length of a struct sockaddr_un path, including the NUL. */
#define CONFIG_SOCKET_PATH_MAX	sizeof(((struct sockaddr_un *)0)->sun_path)
#define CONFIG_GROUP_MAX	64
#define CONFIG_ERROR_MAX	512
#define CONFIG_TEXTFILE_MAX	1024

struct collapsed_config {
	/* [collapse] */
	uint64_t quiet_period;		/* ns without splits before collapsing */
	uint64_t quiet_period_max;	/* ns: ceiling of the ping-pong backoff */
	uint64_t pingpong_window;	/* ns: a split this soon after a collapse
					 * counts as ping-pong */
	uint64_t resync_interval;	/* ns between get-stats safety checks */
	uint64_t budget;		/* page-table pages scanned per step */
	uint64_t min_gain;		/* leaves a collapse must be able to save */
	uint64_t steady_interval;	/* ns between collapses of quiet memory
					 * while splits never stop; 0 = off */
	uint64_t steady_cpu;		/* ns of kernel collapse time per minute
					 * for those */
	/* [status] */
	char socket_path[CONFIG_SOCKET_PATH_MAX];	/* "" = no endpoint */
	mode_t socket_mode;		/* of a socket the daemon creates */
	char socket_group[CONFIG_GROUP_MAX];	/* "" = none */
	gid_t socket_gid;		/* resolved socket_group */
	/* [metrics] */
	char metrics_textfile[CONFIG_TEXTFILE_MAX];	/* "" = none */
};

/* The built-in defaults. */
void config_defaults(struct collapsed_config *cfg);

/*
 * Read @path over the defaults into *@cfg.  When @path is missing and
 * @missing_ok, *@cfg is the defaults.  On failure *@cfg is unchanged (so a
 * reload keeps the configuration in force), @err holds one line naming the
 * file, line and key ("/etc/linmap/collapsed.conf:7: [collapse] budget:
 * 'lots' is not a number"), and the return value is -EINVAL (bad content),
 * -ENOENT or another negative errno (cannot read the file).
 */
int config_load(const char *path, bool missing_ok,
		struct collapsed_config *cfg, char *err, size_t err_size);

#endif /* COLLAPSED_CONFIG_H */
