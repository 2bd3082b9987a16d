// SPDX-License-Identifier: GPL-2.0
/*
 * fault-latency: the latency of secretmem first-touch faults, for
 * benchmarks of what a collapse of the linear map running beside them costs
 * them.
 *
 * Every first touch of a memfd_secret(2) page allocates the page and
 * removes it from the kernel's linear map (set_direct_map_invalid_noflush(),
 * under pgtable_split_lock, splitting the block around it), so a fault
 * waits for whatever holds that lock.  The program maps --pages pages of
 * secret memory at a time, times the first write to each page, unmaps them
 * and starts again, until it has timed --faults faults and, with
 * --while-pid, until that process has exited.  It prints one JSON object:
 *
 *   {"faults": N, "p50_ns": ..., "p99_ns": ..., "p999_ns": ..., "max_ns": ...}
 *
 * Exit status: 0 success, 1 a system call failed, 2 usage error,
 * 77 memfd_secret(2) is not available.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "stress-util.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447	/* same number on arm64 and x86_64 */
#endif

#define EXIT_USAGE	2
#define EXIT_UNSUPPORTED 77

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fault-latency [--pages N] [--faults N] [--while-pid PID]\n"
		"  --pages N      secret pages mapped at a time (default 256)\n"
		"  --faults N     time at least N first-touch faults (default 10000)\n"
		"  --while-pid P  and go on until process P has exited\n");
}

static bool parse_in(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "faults", required_argument, NULL, 'f' },
		{ "while-pid", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t pages = 256, want = 10000, pid = 0, n = 0, cap = 0, i;
	long psize = sysconf(_SC_PAGESIZE);
	uint64_t *lat = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!parse_in(optarg, 1, 1 << 20, &pages))
				goto bad;
			break;
		case 'f':
			if (!parse_in(optarg, 1, 1 << 26, &want))
				goto bad;
			break;
		case 'w':
			if (!parse_in(optarg, 1, INT32_MAX, &pid))
				goto bad;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;

	while (n < want || (pid && alive((pid_t)pid))) {
		size_t len = pages * (size_t)psize;
		int fd = syscall(SYS_memfd_secret, 0);
		volatile char *p;

		if (fd < 0) {
			if (errno == ENOSYS) {
				fprintf(stderr, "fault-latency: memfd_secret: not available\n");
				return EXIT_UNSUPPORTED;
			}
			perror("fault-latency: memfd_secret");
			return 1;
		}
		if (ftruncate(fd, len)) {
			perror("fault-latency: ftruncate");
			return 1;
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED) {
			perror("fault-latency: mmap");
			return 1;
		}
		if (n + pages > cap) {
			cap = (n + pages) * 2;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat) {
				perror("fault-latency: realloc");
				return 1;
			}
		}
		for (i = 0; i < pages; i++) {
			uint64_t t = now_ns();

			p[i * psize] = 1;
			lat[n++] = now_ns() - t;
		}
		munmap((void *)p, len);
	}

	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("{\"faults\": %" PRIu64 ", \"p50_ns\": %" PRIu64
	       ", \"p99_ns\": %" PRIu64 ", \"p999_ns\": %" PRIu64
	       ", \"max_ns\": %" PRIu64 "}\n",
	       n, lat[n / 2], lat[n * 99 / 100], lat[n * 999 / 1000], lat[n - 1]);
	free(lat);
	return 0;

bad:
	fprintf(stderr, "fault-latency: bad value for --%s: '%s'\n",
		opts[c == 'p' ? 0 : c == 'f' ? 1 : 2].name, optarg);
usage:
	usage(stderr);
	return EXIT_USAGE;
}
