// SPDX-License-Identifier: GPL-2.0
/*
 * Who may read the status (daemon/peercred.c), the status socket
 * (daemon/status-socket.c) on a temporary path, and the built collapsed
 * (argv[1]) end to end: started standalone with a temporary configuration
 * and its own NOTIFY_SOCKET, it says READY=1, serves one JSON document per
 * connection, reloads on SIGHUP and stops on SIGTERM, removing its socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <systemd/sd-daemon.h>

#include "peercred.h"
#include "status-socket.h"
#include "tap.h"

static const char *collapsed;
static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/collapsed-sock-XXXXXX");
	if (!mkdtemp(dir))
		abort();
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

static int connect_to(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Everything until end of file (or 5s), NUL-terminated, malloc()ed. */
static char *read_all(int fd)
{
	size_t size = 4096, len = 0;
	char *buf = malloc(size);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, 5000) <= 0)
			break;
		if (len + 1 >= size)
			buf = realloc(buf, size *= 2);
		n = read(fd, buf + len, size - len - 1);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

static int doc_root_peer = -1;	/* what the last document was built for */

static char *doc_fixed(void *arg, bool root_peer)
{
	doc_root_peer = root_peer;
	return strdup(arg);
}

static void test_root_self_and_group_members_are_allowed(void)
{
	struct peer_rule rule = { .self_uid = 990 };
	gid_t groups[] = { 100, 4, 27 };

	CHECK(peer_allowed(&rule, 0, 0, NULL, 0));
	CHECK(peer_allowed(&rule, 990, 990, NULL, 0));
	CHECK(!peer_allowed(&rule, 1000, 1000, groups, 3));
	CHECK(!peer_allowed(&rule, 1000, 4, NULL, 0));

	rule.has_group = true;
	rule.group = 4;
	CHECK(peer_allowed(&rule, 1000, 4, NULL, 0));	/* primary */
	CHECK(peer_allowed(&rule, 1000, 1000, groups, 3));	/* supplementary */
	CHECK(!peer_allowed(&rule, 1000, 1000, groups, 1));
	CHECK(!peer_allowed(&rule, 1001, 1001, NULL, 0));
}

static void test_socket_serves_one_document_and_closes(void)
{
	struct collapsed_config cfg;
	struct status_socket s;
	char err[256], *got;
	struct stat st;
	int epfd, fd;

	make_dir();
	config_defaults(&cfg);
	/* A directory below that does not exist yet: it is created. */
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/run/status.sock",
		 dir);
	cfg.socket_mode = 0640;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	CHECK(s.listen_fd >= 0);
	CHECK(!s.activated);
	CHECK_INT(stat(cfg.socket_path, &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_INT(st.st_mode & 0777, 0640);

	fd = connect_to(cfg.socket_path);
	CHECK(fd >= 0);
	doc_root_peer = -1;
	status_socket_accept(&s, 0, doc_fixed, (char *)"{\"schema\":1}");
	got = read_all(fd);
	CHECK_STR(got, "{\"schema\":1}");
	/* Addresses are for root only: the document knows who asks. */
	CHECK_INT(doc_root_peer, geteuid() == 0);
	free(got);
	close(fd);
	CHECK_U64(status_socket_deadline(&s), STATUS_NO_DEADLINE);

	status_socket_close(&s);
	CHECK(access(cfg.socket_path, F_OK) < 0);
	close(epfd);
	remove_dir();
}

static void test_stale_socket_is_replaced_live_one_refused(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct collapsed_config cfg;
	struct status_socket s, s2;
	char err[256];
	int epfd, fd;

	make_dir();
	config_defaults(&cfg);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", dir);
	/* A socket file left behind by a crash: bound, never listening. */
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", cfg.socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);

	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	CHECK_INT(status_socket_open(&s2, &cfg, epfd, 30, err, sizeof(err)),
		  -EADDRINUSE);
	CHECK_CONTAINS(err, "another daemon is serving");
	CHECK_CONTAINS(err, "is collapsed already running?");
	status_socket_close(&s);

	/* Something that is not a socket is never removed. */
	fd = open(cfg.socket_path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)),
		  -EEXIST);
	CHECK_CONTAINS(err, "exists and is not a socket");
	CHECK_INT(access(cfg.socket_path, F_OK), 0);
	close(epfd);
	remove_dir();
}

static void test_socket_directory_must_be_safe(void)
{
	struct collapsed_config cfg;
	struct status_socket s;
	char err[512], real[96], link[96];
	int epfd;

	make_dir();
	config_defaults(&cfg);
	epfd = epoll_create1(EPOLL_CLOEXEC);

	/* Writable by others: they could swap the socket. */
	snprintf(real, sizeof(real), "%s/open", dir);
	CHECK_INT(mkdir(real, 0755), 0);
	CHECK_INT(chmod(real, 0777), 0);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", real);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)),
		  -EPERM);
	CHECK_CONTAINS(err, "is writable by other users");
	CHECK(access(cfg.socket_path, F_OK) < 0);
	CHECK_INT(chmod(real, 0775), 0);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)),
		  -EPERM);

	/* A symlink for the directory is not followed. */
	CHECK_INT(chmod(real, 0755), 0);
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK_INT(symlink(real, link), 0);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", link);
	CHECK(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)) < 0);
	CHECK_CONTAINS(err, "a symlink is not accepted");
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", real);
	CHECK(access(cfg.socket_path, F_OK) < 0);

	/* The safe directory itself is fine. */
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	status_socket_close(&s);
	close(epfd);
	remove_dir();
}

static void test_stale_socket_is_not_replaced_under_another_lock(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct collapsed_config cfg;
	struct status_socket s;
	char err[512], lock[128];
	struct stat before, after;
	int epfd, fd, lfd;

	make_dir();
	config_defaults(&cfg);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", cfg.socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	CHECK_INT(stat(cfg.socket_path, &before), 0);
	/* Another daemon between its check and its bind holds the lock. */
	snprintf(lock, sizeof(lock), "%s.lock", cfg.socket_path);
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	CHECK_INT(flock(lfd, LOCK_EX), 0);

	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)),
		  -EADDRINUSE);
	CHECK_CONTAINS(err, "is collapsed already running?");
	CHECK_INT(stat(cfg.socket_path, &after), 0);
	CHECK_U64(after.st_ino, before.st_ino);	/* not removed, not rebound */
	close(lfd);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	status_socket_close(&s);
	close(epfd);
	remove_dir();
}

static void test_out_of_descriptors_pauses_accepting(void)
{
	struct collapsed_config cfg;
	struct status_socket s;
	struct epoll_event ev;
	struct rlimit old, low;
	char err[256], *got;
	int epfd, fd, probe;

	make_dir();
	config_defaults(&cfg);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", dir);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	fd = connect_to(cfg.socket_path);
	CHECK(fd >= 0);

	/* No descriptor left for accept4(). */
	CHECK_INT(getrlimit(RLIMIT_NOFILE, &old), 0);
	probe = dup(0);
	close(probe);
	low = old;
	low.rlim_cur = (rlim_t)probe;
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &low), 0);
	CHECK_INT(epoll_wait(epfd, &ev, 1, 0), 1);
	status_socket_accept(&s, 1000, doc_fixed, (char *)"{}");
	/* The pending client does not wake the loop again and again ... */
	CHECK_INT(epoll_wait(epfd, &ev, 1, 0), 0);
	CHECK_U64(status_socket_deadline(&s), 1000 + STATUS_ACCEPT_PAUSE);
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &old), 0);
	status_socket_expire(&s, 1000 + STATUS_ACCEPT_PAUSE - 1);
	CHECK_INT(epoll_wait(epfd, &ev, 1, 0), 0);
	/* ... and is served once the pause is over. */
	status_socket_expire(&s, 1000 + STATUS_ACCEPT_PAUSE);
	CHECK_U64(status_socket_deadline(&s), STATUS_NO_DEADLINE);
	CHECK_INT(epoll_wait(epfd, &ev, 1, 0), 1);
	status_socket_accept(&s, 2000, doc_fixed, (char *)"{\"late\":1}");
	got = read_all(fd);
	CHECK_STR(got, "{\"late\":1}");
	free(got);
	close(fd);
	status_socket_close(&s);
	close(epfd);
	remove_dir();
}

static void test_slow_client_is_dropped_at_its_deadline(void)
{
	struct collapsed_config cfg;
	struct status_socket s;
	char err[256], *big;
	int epfd, fd;

	make_dir();
	config_defaults(&cfg);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", dir);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);

	/* More than a socket buffer holds, and a client that never reads. */
	big = malloc(8 << 20);
	memset(big, 'x', (8 << 20) - 1);
	big[(8 << 20) - 1] = '\0';
	fd = connect_to(cfg.socket_path);
	status_socket_accept(&s, 1000, doc_fixed, big);
	CHECK_U64(status_socket_deadline(&s), 1000 + STATUS_CLIENT_TIMEOUT);
	status_socket_expire(&s, 1000 + STATUS_CLIENT_TIMEOUT - 1);
	CHECK_U64(status_socket_deadline(&s), 1000 + STATUS_CLIENT_TIMEOUT);
	status_socket_expire(&s, 1000 + STATUS_CLIENT_TIMEOUT);
	CHECK_U64(status_socket_deadline(&s), STATUS_NO_DEADLINE);
	free(big);
	close(fd);
	status_socket_close(&s);
	close(epfd);
	remove_dir();
}

#define SEC(n)		((uint64_t)(n) * 1000000000ULL)
#define STRANGER_TRIES	5

static void test_stranger_is_refused_without_data_and_logged_rarely(void)
{
	struct collapsed_config cfg;
	struct status_socket s;
	struct pollfd pfd;
	char err[256], text[4096], *at;
	int epfd, status, saved_stderr, i, lines, go[2];
	FILE *log;
	size_t n;
	pid_t pid;

	/* Run by main() as root only (--root-only; exit 77 otherwise). */
	make_dir();
	chmod(dir, 0755);
	config_defaults(&cfg);
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/status.sock", dir);
	cfg.socket_mode = 0666;	/* only the credential check stands */
	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);

	if (pipe(go) < 0)
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd, empty;
		char *got, c;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		close(go[1]);
		for (i = 0; i < STRANGER_TRIES; i++) {
			/* The last one only when the parent has moved its clock. */
			if (i == STRANGER_TRIES - 1 && read(go[0], &c, 1) != 1)
				_exit(5);
			fd = connect_to(cfg.socket_path);
			if (fd < 0)
				_exit(4);
			got = read_all(fd);
			empty = !got[0];
			free(got);
			close(fd);
			if (!empty)
				_exit(1);
		}
		_exit(0);
	}
	/* Refusals are logged once per interval, with a count of the rest. */
	log = tmpfile();
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(log), STDERR_FILENO);
	pfd.fd = s.listen_fd;
	pfd.events = POLLIN;
	close(go[0]);
	/* One accept call may take several: count the refusals instead. */
	for (i = 0; i < 50 && (!s.refused_logged ||
			       1 + s.refused_quiet < STRANGER_TRIES - 1); i++)
		if (poll(&pfd, 1, 100) == 1)
			status_socket_accept(&s, SEC(1), doc_fixed,
					     (char *)"{\"secret\":1}");
	CHECK_INT(1 + s.refused_quiet, STRANGER_TRIES - 1);
	if (write(go[1], "x", 1) != 1)
		abort();
	close(go[1]);
	CHECK_INT(poll(&pfd, 1, 5000), 1);
	status_socket_accept(&s, SEC(1) + STATUS_REFUSED_LOG_INTERVAL,
			     doc_fixed, (char *)"{\"secret\":1}");
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	rewind(log);
	n = fread(text, 1, sizeof(text) - 1, log);
	text[n] = '\0';
	fclose(log);
	for (lines = 0, at = text; (at = strstr(at, "refused uid 65534")); at++)
		lines++;
	CHECK_INT(lines, 2);
	CHECK_CONTAINS(text, "(and 3 more refused since the last such line)");
	status_socket_close(&s);
	close(epfd);
	remove_dir();
}

static void test_socket_from_systemd_is_used_and_kept(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct collapsed_config cfg;
	struct status_socket s;
	char err[256], env[32], *got;
	int epfd, lfd, fd;

	make_dir();
	config_defaults(&cfg);
	/* The configured path is not what systemd passed: it stays unused. */
	snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s/unused.sock", dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/activated.sock", dir);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_INT(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	CHECK_INT(listen(lfd, 4), 0);
	/* As systemd hands it over: fd 3, LISTEN_FDS=1, LISTEN_PID=us. */
	if (lfd != SD_LISTEN_FDS_START) {
		CHECK_INT(dup2(lfd, SD_LISTEN_FDS_START), SD_LISTEN_FDS_START);
		close(lfd);
	}
	setenv("LISTEN_FDS", "1", 1);
	snprintf(env, sizeof(env), "%d", (int)getpid());
	setenv("LISTEN_PID", env, 1);

	epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK_INT(status_socket_open(&s, &cfg, epfd, 10, err, sizeof(err)), 0);
	CHECK(s.activated);
	CHECK_INT(s.listen_fd, SD_LISTEN_FDS_START);
	CHECK(getenv("LISTEN_FDS") == NULL);
	CHECK(access(cfg.socket_path, F_OK) < 0);

	fd = connect_to(addr.sun_path);
	CHECK(fd >= 0);
	status_socket_accept(&s, 0, doc_fixed, (char *)"{}");
	got = read_all(fd);
	CHECK_STR(got, "{}");
	free(got);
	close(fd);
	status_socket_close(&s);
	/* systemd owns the file: it is still there. */
	CHECK_INT(access(addr.sun_path, F_OK), 0);
	close(epfd);
	remove_dir();
}

/* ---- the daemon itself ---- */

/* Wait up to 10s for a notification containing @what on @fd. */
static bool wait_notify(int fd, const char *what, char *seen, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[1024];
	ssize_t n;

	while (poll(&pfd, 1, 10000) == 1) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		snprintf(seen + strlen(seen), size - strlen(seen), "%s\n", buf);
		if (strstr(buf, what))
			return true;
	}
	return false;
}

static void test_daemon_serves_status_reloads_and_stops(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char conf[128], sock[128], seen[4096] = "", *got;
	cJSON *doc, *state;
	int nfd, fd, status;
	FILE *f;
	pid_t pid;

	if (!collapsed) {
		SKIP("no collapsed binary given");
		return;
	}
	make_dir();
	snprintf(conf, sizeof(conf), "%s/collapsed.conf", dir);
	snprintf(sock, sizeof(sock), "%s/run/status.sock", dir);
	f = fopen(conf, "w");
	fprintf(f, "[collapse]\nbudget = 16\n[status]\nsocket = %s\n", sock);
	fclose(f);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/notify", dir);
	nfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK_INT(bind(nfd, (struct sockaddr *)&addr, sizeof(addr)), 0);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		setenv("NOTIFY_SOCKET", addr.sun_path, 1);
		unsetenv("LISTEN_FDS");
		unsetenv("WATCHDOG_USEC");
		execl(collapsed, collapsed, "-c", conf, (char *)NULL);
		_exit(127);
	}
	CHECK(wait_notify(nfd, "READY=1", seen, sizeof(seen)));
	CHECK_CONTAINS(seen, "STATUS=");

	fd = connect_to(sock);
	CHECK(fd >= 0);
	got = read_all(fd);
	close(fd);
	doc = cJSON_Parse(got);
	CHECK(doc != NULL);
	CHECK_INT(cJSON_GetObjectItem(doc, "schema")->valueint, 1);
	state = cJSON_GetObjectItem(doc, "state");
	CHECK(cJSON_IsString(state));
#ifndef __aarch64__
	/*
	 * The family is arm64's: on any other build host the kernel has none,
	 * and the daemon must run degraded, saying so, rather than fail.
	 */
	CHECK(cJSON_IsString(state) &&
	      !strcmp(state->valuestring, "degraded"));
	CHECK(cJSON_IsString(cJSON_GetObjectItem(doc, "degraded_reason")));
	CHECK_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "degraded_reason")),
		       "no linmap family");
#else
	/* An arm64 build host may run the series, or not. */
	if (cJSON_IsString(state) && !strcmp(state->valuestring, "degraded"))
		CHECK(cJSON_IsString(cJSON_GetObjectItem(doc, "degraded_reason")));
	else
		CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc, "degraded_reason")));
#endif
	CHECK_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "config"),
				      "budget")->valueint, 16);
	cJSON_Delete(doc);
	free(got);

	/* A reload that fails keeps the configuration and says why. */
	f = fopen(conf, "w");
	fprintf(f, "[collapse]\nbudget = many\n[status]\nsocket = %s\n", sock);
	fclose(f);
	seen[0] = '\0';
	kill(pid, SIGHUP);
	CHECK(wait_notify(nfd, "READY=1", seen, sizeof(seen)));
	CHECK_CONTAINS(seen, "RELOADING=1");
	fd = connect_to(sock);
	got = read_all(fd);
	close(fd);
	CHECK_CONTAINS(got, "\"budget\":16");
	CHECK_CONTAINS(got, ":2: [collapse] budget: 'many' is not a number");
	free(got);

	seen[0] = '\0';
	kill(pid, SIGTERM);
	CHECK(wait_notify(nfd, "STOPPING=1", seen, sizeof(seen)));
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(access(sock, F_OK) < 0);
	close(nfd);
	remove_dir();
}

static const struct tap_test tests[] = {
	TAP_TEST(test_root_self_and_group_members_are_allowed),
	TAP_TEST(test_socket_serves_one_document_and_closes),
	TAP_TEST(test_stale_socket_is_replaced_live_one_refused),
	TAP_TEST(test_socket_directory_must_be_safe),
	TAP_TEST(test_stale_socket_is_not_replaced_under_another_lock),
	TAP_TEST(test_out_of_descriptors_pauses_accepting),
	TAP_TEST(test_slow_client_is_dropped_at_its_deadline),
	TAP_TEST(test_socket_from_systemd_is_used_and_kept),
	TAP_TEST(test_daemon_serves_status_reloads_and_stops),
};

/* Cases that need root: a registration of their own, skipped (77) as a whole. */
static const struct tap_test root_tests[] = {
	TAP_TEST(test_stranger_is_refused_without_data_and_logged_rarely),
};

#define EXIT_SKIP 77	/* meson's (and automake's) "skipped" */

/*
 *   test-daemon-status-socket [COLLAPSED]    the cases any user can run
 *   test-daemon-status-socket --root-only    the SO_PEERCRED refusal of
 *                                            another user: exit 77 if not root
 */
int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	/* Not socket-activated, whatever the environment the test runs in. */
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDNAMES");
	if (argc > 1 && !strcmp(argv[1], "--root-only")) {
		if (geteuid() != 0) {
			printf("1..0 # SKIP needs root to connect as another user\n");
			return EXIT_SKIP;
		}
		return tap_run(root_tests, sizeof(root_tests) / sizeof(root_tests[0]));
	}
	if (argc > 1)
		collapsed = argv[1];
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
