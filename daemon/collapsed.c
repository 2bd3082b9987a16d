// SPDX-License-Identifier: GPL-2.0
/*
 * collapsed: rebuild the arm64 linear map's block mappings after secretmem
 * churn, driven by the kernel's split events.
 *
 * One thread, one epoll set: the linmap events socket, a timerfd for the
 * policy's deadline, a signalfd (SIGHUP reload, SIGTERM/SIGINT stop), the
 * status socket and its clients.  Every kernel request comes from
 * policy_tick() (policy.c), at most one per loop iteration.  Idle, the only
 * wakeups are the systemd watchdog and the resync_interval safety check.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include <libcollapse.h>

#include "config.h"
#include "duration.h"
#include "kernel.h"
#include "log.h"
#include "policy.h"
#include "status-json.h"
#include "status-metrics.h"
#include "status-socket.h"
#include "status-text.h"

#ifndef LINMAP_VERSION
#define LINMAP_VERSION "unknown"
#endif

/* epoll data.u32 tags; status clients follow TAG_STATUS. */
enum {
	TAG_EVENTS = 1,
	TAG_TIMER,
	TAG_SIGNAL,
	TAG_STATUS,
};

struct daemon {
	const char *config_path;
	bool config_explicit;		/* -c given: the file must exist */
	struct collapsed_config cfg;
	struct policy policy;

	struct kernel kernel;		/* libcollapse contexts, caps, stats,
					 * last_error */

	int epfd, timerfd, sigfd;
	uint64_t timer_armed;		/* deadline the timerfd holds */
	struct status_socket status;
	uint64_t started;
	uint64_t watchdog_interval;	/* ns; 0 = no watchdog */
	uint64_t watchdog_next;
	char status_sent[256];
	char *metrics_sent;		/* text of the metrics file, as written */
	char metrics_path[CONFIG_TEXTFILE_MAX];	/* where it was written */
	int metrics_error;		/* of the last write, 0 = none */
	bool stop;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void set_last_error(struct daemon *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_last_error(struct daemon *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->kernel.last_error, sizeof(d->kernel.last_error), fmt, ap);
	va_end(ap);
}

/* ---- status ---- */

/* What the status document and the metrics show, as of now. */
static struct status_view daemon_view(const struct daemon *d, bool root_peer)
{
	return (struct status_view){
		.version = LINMAP_VERSION,
		.policy = &d->policy,
		.config = &d->cfg,
		.config_path = d->config_path,
		.caps = d->kernel.has_caps ? &d->kernel.caps : NULL,
		.stats = d->kernel.has_stats ? &d->kernel.stats : NULL,
		.last_error = d->kernel.last_error,
		.now = now_ns(CLOCK_MONOTONIC),
		.now_real = (double)now_ns(CLOCK_REALTIME) / NSEC_PER_SEC,
		.started = d->started,
		.cpu_nsecs = now_ns(CLOCK_PROCESS_CPUTIME_ID),
		.show_addresses = root_peer,
	};
}

static char *daemon_status_doc(void *arg, bool root_peer)
{
	struct status_view view = daemon_view(arg, root_peer);

	return status_json(&view);
}

/*
 * [metrics] textfile: rewrite it when its text changed (the state, or what
 * the daemon knows of the kernel), after an event the loop handled anyway,
 * so the file costs no wakeup.  A failure is logged when it first happens
 * and when it clears, not at every event.
 */
static void daemon_write_metrics(struct daemon *d)
{
	const char *path = d->cfg.metrics_textfile;
	/* No addresses: the file is world-readable. */
	struct status_view view = daemon_view(d, false);
	char *text;
	int err;

	if (!*path)
		return;
	text = status_metrics(&view, METRICS_PROMETHEUS);
	if (!text)
		return;
	if (d->metrics_sent && !strcmp(text, d->metrics_sent) &&
	    !strcmp(path, d->metrics_path)) {
		free(text);
		return;
	}
	err = status_metrics_write(path, text);
	if (err && err != d->metrics_error)
		log_warning("cannot write the metrics file %s: %s (the unit needs ReadWritePaths= for its directory)",
			    path, strerror(-err));
	else if (!err && d->metrics_error)
		log_info("metrics file %s written again", path);
	d->metrics_error = err;
	if (err) {
		free(text);
		return;
	}
	free(d->metrics_sent);
	d->metrics_sent = text;
	snprintf(d->metrics_path, sizeof(d->metrics_path), "%s", path);
}

/* STATUS= for systemctl status, when it changed. */
static void daemon_notify_status(struct daemon *d, const char *extra)
{
	char line[256];

	status_text(line, sizeof(line), &d->policy);
	if (!extra && !strcmp(line, d->status_sent))
		return;
	snprintf(d->status_sent, sizeof(d->status_sent), "%s", line);
	log_debug("state %s: %s", policy_state_name(&d->policy), line);
	sd_notifyf(0, "%sSTATUS=%s", extra ? extra : "", line);
}

/* ---- the kernel ---- */

static void daemon_probe(struct daemon *d, uint64_t now)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TAG_EVENTS };

	if (!kernel_probe(&d->kernel, &d->policy, now))
		return;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, lc_events_fd(d->kernel.evs),
		      &ev) < 0) {
		char reason[POLICY_REASON_MAX];

		snprintf(reason, sizeof(reason), "cannot watch the events socket: %s",
			 strerror(errno));
		log_err("%s", reason);
		kernel_close(&d->kernel);
		policy_on_degraded(&d->policy, now, reason);
	}
}

/* Do what the policy says is due now. */
static void daemon_tick(struct daemon *d)
{
	uint64_t now = now_ns(CLOCK_MONOTONIC);
	struct policy_action act = policy_tick(&d->policy, now);

	switch (act.kind) {
	case POLICY_ACT_NONE:
		break;
	case POLICY_ACT_PROBE:
		daemon_probe(d, now);
		break;
	case POLICY_ACT_GET_STATS:
		kernel_get_stats(&d->kernel, &d->policy, now);
		break;
	case POLICY_ACT_COLLAPSE:
		kernel_collapse_step(&d->kernel, &d->policy, now, &act.req);
		break;
	}
}

/* ---- configuration ---- */

static void daemon_reload(struct daemon *d)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX];
	uint64_t now = now_ns(CLOCK_MONOTONIC);

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64, now / 1000);
	if (config_load(d->config_path, !d->config_explicit, &cfg, err,
			sizeof(err)) < 0) {
		struct log_field f[3];

		log_field_str(&f[0], "CONFIG_FILE", d->config_path);
		log_field_str(&f[1], "LINMAP_CONFIG_ERROR", err);
		log_field_str(&f[2], "LINMAP_CONFIG_WHEN", "reload");
		log_event(LOG_ID_CONFIG_REJECTED, SD_ERR, f, 3,
			  "reload failed, keeping the configuration in force: %s", err);
		set_last_error(d, "reload: %s", err);
		/* Still a SIGHUP: a degraded daemon probes the kernel again. */
		policy_reconfigure(&d->policy, &d->cfg, now);
	} else {
		if (strcmp(cfg.socket_path, d->cfg.socket_path) ||
		    cfg.socket_mode != d->cfg.socket_mode ||
		    strcmp(cfg.socket_group, d->cfg.socket_group))
			log_notice("[status] socket, socket_mode and socket_group take effect at the next start; socket_group already decides who may read");
		d->cfg = cfg;
		status_socket_set_rule(&d->status, &d->cfg);
		policy_reconfigure(&d->policy, &d->cfg, now);
		log_info("reloaded %s", d->config_path);
	}
	daemon_notify_status(d, "READY=1\n");
}

static void daemon_read_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			daemon_reload(d);
		} else {
			log_info("stopping on signal %u", si.ssi_signo);
			d->stop = true;
		}
	}
}

/* ---- the loop ---- */

static int daemon_arm_timer(struct daemon *d)
{
	uint64_t deadline = policy_deadline(&d->policy);
	struct itimerspec its = { 0 };
	/* 0 would disarm: a deadline of 0 fires 1 ns later. */
	uint64_t expiry = deadline ? deadline : 1;

	if (deadline == d->timer_armed)
		return 0;
	if (deadline != POLICY_NO_DEADLINE) {
		its.it_value.tv_sec = expiry / NSEC_PER_SEC;
		its.it_value.tv_nsec = expiry % NSEC_PER_SEC;
	}
	if (timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	d->timer_armed = deadline;
	return 0;
}

/* epoll_wait() timeout: the watchdog and slow status clients only. */
static int daemon_wait_ms(struct daemon *d, uint64_t now)
{
	uint64_t until = status_socket_deadline(&d->status);

	if (d->watchdog_interval && d->watchdog_next < until)
		until = d->watchdog_next;
	if (until == STATUS_NO_DEADLINE)
		return -1;
	if (until <= now)
		return 0;
	return (int)((until - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
}

static void daemon_watchdog(struct daemon *d, uint64_t now)
{
	if (!d->watchdog_interval || now < d->watchdog_next)
		return;
	sd_notify(0, "WATCHDOG=1");
	d->watchdog_next = now + d->watchdog_interval;
}

static int daemon_loop(struct daemon *d)
{
	struct epoll_event events[16];
	uint64_t now, expirations;
	int i, n, err;

	while (!d->stop) {
		err = daemon_arm_timer(d);
		if (err < 0) {
			log_err("timerfd: %s", strerror(-err));
			return err;
		}
		now = now_ns(CLOCK_MONOTONIC);
		n = epoll_wait(d->epfd, events, 16, daemon_wait_ms(d, now));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++) {
			uint32_t tag = events[i].data.u32;

			if (tag == TAG_EVENTS)
				kernel_read_events(&d->kernel, &d->policy,
						   now_ns(CLOCK_MONOTONIC));
			else if (tag == TAG_TIMER) {
				if (read(d->timerfd, &expirations,
					 sizeof(expirations)) < 0 &&
				    errno != EAGAIN)
					log_warning("timerfd: %s", strerror(errno));
				d->timer_armed = POLICY_NO_DEADLINE;
			} else if (tag == TAG_SIGNAL)
				daemon_read_signals(d);
			else if (tag == TAG_STATUS)
				status_socket_accept(&d->status,
						     now_ns(CLOCK_MONOTONIC),
						     daemon_status_doc, d);
			else if (status_socket_owns(&d->status, tag))
				status_socket_client_event(&d->status, tag);
		}
		now = now_ns(CLOCK_MONOTONIC);
		status_socket_expire(&d->status, now);
		daemon_watchdog(d, now);
		if (d->stop)
			break;
		daemon_tick(d);
		daemon_notify_status(d, NULL);
		daemon_write_metrics(d);
	}
	return 0;
}

static int daemon_setup(struct daemon *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char err[CONFIG_ERROR_MAX];
	uint64_t usec;
	sigset_t mask;
	int ret;

	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->epfd < 0 || d->timerfd < 0 || d->sigfd < 0) {
		ret = -errno;
		log_err("cannot set up the event loop: %s", strerror(-ret));
		return ret;
	}
	d->timer_armed = POLICY_NO_DEADLINE;
	ev.data.u32 = TAG_TIMER;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->timerfd, &ev) < 0)
		return -errno;
	ev.data.u32 = TAG_SIGNAL;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sigfd, &ev) < 0)
		return -errno;

	ret = status_socket_open(&d->status, &d->cfg, d->epfd, TAG_STATUS, err,
				 sizeof(err));
	if (ret < 0) {
		log_err("status socket: %s", err);
		return ret;
	}
	if (d->status.listen_fd >= 0)
		log_info("status on %s", d->status.activated ?
			 "the socket systemd passed" : d->cfg.socket_path);
	else
		log_notice("no status socket ([status] socket is empty)");

	if (sd_watchdog_enabled(0, &usec) > 0) {
		d->watchdog_interval = usec * 1000 / 2;
		d->watchdog_next = now_ns(CLOCK_MONOTONIC) + d->watchdog_interval;
	}
	return 0;
}

static void daemon_teardown(struct daemon *d)
{
	free(d->metrics_sent);
	d->metrics_sent = NULL;
	status_socket_close(&d->status);
	kernel_close(&d->kernel);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->timerfd >= 0)
		close(d->timerfd);
	if (d->epfd >= 0)
		close(d->epfd);
}

/* ---- main ---- */

static const char usage_text[] =
	"Usage: collapsed [OPTIONS]\n"
	"\n"
	"Rebuild the arm64 kernel's linear-map block mappings after they were\n"
	"split (secretmem), driven by the kernel's linmap split events.\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE   configuration file (default " CONFIG_DEFAULT_PATH ";\n"
	"                      a missing default file means the defaults)\n"
	"      --check-config  validate the configuration and exit: 0 valid, 1 not\n"
	"                      (when starting, an invalid one exits with 78)\n"
	"  -v, --verbose       log debug messages too\n"
	"  -h, --help          show this help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"Signals: SIGHUP reloads the configuration; SIGTERM and SIGINT stop.\n"
	"Status: collapsectl daemon (reads the status socket).\n";

int main(int argc, char **argv)
{
	enum { OPT_CHECK_CONFIG = 0x100 };
	static const struct option options[] = {
		{ "config",		required_argument,	NULL, 'c' },
		{ "check-config",	no_argument,		NULL, OPT_CHECK_CONFIG },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'V' },
		{ 0 }
	};
	struct daemon *d;
	char err[CONFIG_ERROR_MAX];
	bool check_only = false;
	int c, ret;

	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "collapsed: %s\n", strerror(ENOMEM));
		return 1;
	}
	d->config_path = CONFIG_DEFAULT_PATH;
	kernel_init(&d->kernel, NULL);
	d->epfd = d->timerfd = d->sigfd = -1;
	d->status.listen_fd = -1;
	d->status.lock_fd = -1;
	for (c = 0; c < STATUS_CLIENTS_MAX; c++)
		d->status.clients[c].fd = -1;

	while ((c = getopt_long(argc, argv, "c:vhV", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			d->config_path = optarg;
			d->config_explicit = true;
			break;
		case OPT_CHECK_CONFIG:
			check_only = true;
			break;
		case 'v':
			log_set_verbose(true);
			break;
		case 'h':
			fputs(usage_text, stdout);
			free(d);
			return 0;
		case 'V':
			printf("collapsed (linmap-collapse) %s\n", LINMAP_VERSION);
			free(d);
			return 0;
		default:
			fputs("collapsed: try 'collapsed --help'\n", stderr);
			free(d);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "collapsed: unexpected argument '%s' (try 'collapsed --help')\n",
			argv[optind]);
		free(d);
		return 2;
	}

	ret = config_load(d->config_path, !d->config_explicit, &d->cfg, err,
			  sizeof(err));
	if (check_only) {
		if (ret < 0)
			fprintf(stderr, "collapsed: %s\n", err);
		else if (access(d->config_path, F_OK) < 0)
			printf("%s: not found; the built-in defaults apply\n",
			       d->config_path);
		else
			printf("%s: valid\n", d->config_path);
		free(d);
		return ret < 0 ? 1 : 0;
	}
	if (ret < 0) {
		/*
		 * EX_CONFIG: a restart cannot fix the file, and the unit says
		 * RestartPreventExitStatus=78.  Only running out of memory
		 * is worth another try.
		 */
		struct log_field f[3];

		log_field_str(&f[0], "CONFIG_FILE", d->config_path);
		log_field_str(&f[1], "LINMAP_CONFIG_ERROR", err);
		log_field_str(&f[2], "LINMAP_CONFIG_WHEN", "start");
		log_event(LOG_ID_CONFIG_REJECTED, SD_ERR, f, 3,
			  "%s; not starting: fix the file (collapsed --check-config), then systemctl restart collapsed",
			  err);
		free(d);
		return ret == -ENOMEM ? 1 : EX_CONFIG;
	}

	d->started = now_ns(CLOCK_MONOTONIC);
	policy_init(&d->policy, &d->cfg, d->started);
	ret = daemon_setup(d);
	if (ret == 0) {
		/* The first tick probes: degraded or subscribed before READY. */
		daemon_tick(d);
		daemon_notify_status(d, "READY=1\n");
		log_info("collapsed %s ready: %s", LINMAP_VERSION, d->status_sent);
		ret = daemon_loop(d);
		sd_notify(0, "STOPPING=1");
	}
	daemon_teardown(d);
	free(d);
	return ret < 0 ? 1 : 0;
}
