// SPDX-License-Identifier: GPL-2.0
/*
 * secretmem-churn: create and destroy memfd_secret(2) areas the way a
 * long-running server does, so that the linear map around them is split.
 *
 * Every secretmem page faulted in is removed from the kernel's linear map
 * (set_direct_map_invalid_noflush()), which splits the block mapping around
 * it down to base pages; freeing the page makes the PTE valid again but
 * never rebuilds the block.  This program holds a population of regions of
 * random size, writes a pattern into every page, and in each round frees a
 * random half of them in random order, checking each region's contents
 * before unmapping it, then tops the population up again.  After the last
 * round it can hold every region (--hold) until told to go on, so that the
 * linear map can be inspected while the pages are out of it.
 *
 * Exit status: 0 success, 1 a region lost its contents or a system call
 * failed, 2 usage error, 77 memfd_secret(2) is not available.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447	/* same number on arm64 and x86_64 */
#endif

#include "stress-util.h"

#define EXIT_USAGE	2
#define EXIT_UNSUPPORTED 77
#define MAX_REPORTS_PER_REGION 4

struct region {
	uint64_t *addr;
	size_t pages;
	uint64_t tag;		/* seeds the pattern; unique per allocation */
	double expires;		/* steady mode: when it is freed */
};

struct churn_stats {
	uint64_t rounds;
	uint64_t allocated;	/* regions created */
	uint64_t allocated_pages;
	uint64_t freed;		/* regions verified and unmapped */
	uint64_t held_pages;	/* currently mapped */
	uint64_t peak_held_pages;
	uint64_t errors;	/* corrupted words (capped per region) */
};

static size_t page_size;
static uint64_t rng_state;
static sigjmp_buf fault_jmp;
static void *volatile fault_addr;

/* splitmix64: small, fast and the same on every libc. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint64_t rng_below(uint64_t n)
{
	return n ? rng_next() % n : 0;
}

static void shuffle(size_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_below(i);
		size_t t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The word expected at @word of page @page of a region tagged @tag. */
static inline uint64_t pattern(uint64_t tag, size_t page, size_t word)
{
	return tag ^ (page * 0x9e3779b97f4a7c15ULL) ^ (word * 0x100000001b3ULL);
}

static int memfd_secret(unsigned int flags)
{
	return syscall(SYS_memfd_secret, flags);
}

/* Returns 0, or the exit status to fail with. */
static int region_create(struct region *r, size_t pages, struct churn_stats *st)
{
	size_t words = page_size / sizeof(uint64_t);
	size_t len = pages * page_size;
	void *addr;
	int fd;

	fd = memfd_secret(0);
	if (fd < 0) {
		if (errno == ENOSYS) {
			fprintf(stderr, "secretmem-churn: memfd_secret(2) is not available "
				"(ENOSYS): kernel built without CONFIG_SECRETMEM or "
				"booted with secretmem.enable=0\n");
			return EXIT_UNSUPPORTED;
		}
		fprintf(stderr, "secretmem-churn: memfd_secret: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	if (ftruncate(fd, len) < 0) {
		fprintf(stderr, "secretmem-churn: ftruncate(%zu): %s\n", len, strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED) {
		int err = errno;

		fprintf(stderr, "secretmem-churn: mmap of %zu secret pages: %s%s\n", pages,
			strerror(err), err == EAGAIN || err == ENOMEM ?
			" (secretmem counts against RLIMIT_MEMLOCK; raise it or run with CAP_IPC_LOCK)" : "");
		close(fd);
		return EXIT_FAILURE;
	}
	/* The mapping keeps the file alive. */
	close(fd);

	r->addr = addr;
	r->pages = pages;
	r->tag = rng_next();
	/*
	 * Each first touch faults a page in and takes it out of the linear
	 * map.  The kernel answers a fault it cannot serve with SIGBUS: the
	 * RLIMIT_MEMLOCK charge failed, or set_direct_map_invalid_noflush()
	 * could not split the linear map around the page.
	 */
	if (sigsetjmp(fault_jmp, 1)) {
		fprintf(stderr, "secretmem-churn: SIGBUS at %p, page %zu of a %zu-page "
			"region (%" PRIu64 " pages already held): the kernel refused a "
			"secret page (RLIMIT_MEMLOCK, or it could not take the page out "
			"of the linear map: see dmesg)\n", (void *)fault_addr,
			(size_t)(((uintptr_t)fault_addr - (uintptr_t)addr) / page_size),
			pages, st->held_pages);
		munmap(addr, len);
		r->addr = NULL;
		r->pages = 0;
		return EXIT_FAILURE;
	}
	for (size_t p = 0; p < pages; p++) {
		uint64_t *w = r->addr + p * words;

		for (size_t i = 0; i < words; i++)
			w[i] = pattern(r->tag, p, i);
	}

	st->allocated++;
	st->allocated_pages += pages;
	st->held_pages += pages;
	if (st->held_pages > st->peak_held_pages)
		st->peak_held_pages = st->held_pages;
	return 0;
}

/* Check the contents, then unmap.  Returns the number of bad words. */
static uint64_t region_destroy(struct region *r, size_t index, struct churn_stats *st)
{
	size_t words = page_size / sizeof(uint64_t);
	uint64_t bad = 0;

	for (size_t p = 0; p < r->pages; p++) {
		const uint64_t *w = r->addr + p * words;

		for (size_t i = 0; i < words; i++) {
			uint64_t want = pattern(r->tag, p, i);

			if (w[i] == want)
				continue;
			if (bad < MAX_REPORTS_PER_REGION)
				fprintf(stderr, "secretmem-churn: region %zu (%zu pages at %p) "
					"page %zu word %zu: expected 0x%016" PRIx64
					", found 0x%016" PRIx64 "\n", index, r->pages,
					(void *)r->addr, p, i, want, w[i]);
			bad++;
		}
	}
	if (munmap(r->addr, r->pages * page_size) < 0) {
		fprintf(stderr, "secretmem-churn: munmap: %s\n", strerror(errno));
		bad++;
	}
	st->freed++;
	st->held_pages -= r->pages;
	st->errors += bad;
	r->addr = NULL;
	r->pages = 0;
	return bad;
}

/*
 * Free the regions whose slots are listed in @order (already shuffled).
 * Returns false if any region lost its contents.
 */
static bool free_slots(struct region *regions, const size_t *order, size_t n,
		       struct churn_stats *st)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		if (region_destroy(&regions[order[i]], order[i], st))
			ok = false;
	return ok;
}

static void sleep_until(double when)
{
	double left = when - now_seconds();
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/*
 * Steady churn, the way a server whose secret users never stop looks: a new
 * region every @interval seconds, each freed (and checked) @lifetime seconds
 * after it was made, for @duration seconds; at most @nregions at once (a
 * new one waits for the oldest to go). Returns 0, or the exit status to
 * fail with; *@ok is cleared if a region lost its contents.
 */
static int steady(struct region *regions, size_t nregions, uint64_t max_pages,
		  double interval, double lifetime, double duration,
		  struct churn_stats *st, bool *ok)
{
	double start = now_seconds(), next = start, t;
	int rc;

	while ((t = now_seconds()) - start < duration) {
		double earliest = start + duration, wake;
		size_t free_slot = nregions;

		for (size_t i = 0; i < nregions; i++) {
			if (regions[i].addr && regions[i].expires <= t &&
			    region_destroy(&regions[i], i, st))
				*ok = false;
			if (!regions[i].addr) {
				if (free_slot == nregions)
					free_slot = i;
			} else if (regions[i].expires < earliest) {
				earliest = regions[i].expires;
			}
		}
		if (t >= next && free_slot < nregions) {
			rc = region_create(&regions[free_slot], 1 + rng_below(max_pages), st);
			if (rc)
				return rc;
			regions[free_slot].expires = t + lifetime;
			st->rounds++;
			next += interval;
			/* behind by more than a region: do not make up the backlog */
			if (next < t)
				next = t + interval;
			continue;
		}
		/* the next region's time (if a slot is free) or the next expiry */
		wake = free_slot < nregions && next < earliest ? next : earliest;
		sleep_until(wake);
	}
	return 0;
}

static void on_sigbus(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	fault_addr = info->si_addr;
	siglongjmp(fault_jmp, 1);
}

/*
 * secretmem pages are charged to RLIMIT_MEMLOCK when they are faulted in
 * (privileged or not).  Raise the limit as far as we may, and refuse to
 * start when the worst case (every region at --max-pages) cannot fit.
 */
static int raise_memlock(uint64_t worst_pages)
{
	uint64_t want = worst_pages * page_size;
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		return 0;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

		if (setrlimit(RLIMIT_MEMLOCK, &unlimited) == 0) {
			rl = unlimited;
		} else if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
				getrlimit(RLIMIT_MEMLOCK, &rl);
		}
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		fprintf(stderr, "secretmem-churn: RLIMIT_MEMLOCK is %llu KiB but up to %"
			PRIu64 " KiB of secret pages may be held (--regions x "
			"--max-pages); raise it (ulimit -l) or run with "
			"CAP_SYS_RESOURCE\n", (unsigned long long)rl.rlim_cur >> 10,
			want >> 10);
		return -1;
	}
	return 0;
}

/* Wait for SIGUSR1, SIGINT or SIGTERM, which the caller has blocked. */
static int hold(const char *ready_file, const struct churn_stats *st, size_t regions,
		const sigset_t *wake, bool quiet)
{
	char tmp[4096];
	FILE *f;
	int sig;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", ready_file) >= (int)sizeof(tmp)) {
		fprintf(stderr, "secretmem-churn: --hold path too long\n");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "secretmem-churn: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	/* pid regions pages bytes: for scripts that want to check the map. */
	fprintf(f, "%ld %zu %" PRIu64 " %" PRIu64 "\n", (long)getpid(), regions,
		st->held_pages, st->held_pages * page_size);
	if (fclose(f) != 0 || rename(tmp, ready_file) < 0) {
		fprintf(stderr, "secretmem-churn: %s: %s\n", ready_file, strerror(errno));
		return -1;
	}
	if (!quiet)
		printf("secretmem-churn: holding %zu regions (%" PRIu64
		       " pages); send SIGUSR1 to continue\n", regions, st->held_pages);
	fflush(stdout);
	if (sigwait(wake, &sig) != 0) {
		fprintf(stderr, "secretmem-churn: sigwait failed\n");
		return -1;
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: secretmem-churn [OPTIONS]\n"
		"Churn memfd_secret(2) regions to split the kernel's linear map.\n"
		"\n"
		"  -n, --regions N      regions held at once (default 64)\n"
		"  -m, --max-pages N    largest region in pages; sizes are uniform in\n"
		"                       1..N (default 64)\n"
		"  -r, --rounds N       rounds; each frees a random half of the regions\n"
		"                       in random order and tops the population up\n"
		"                       (default 8; 0 = until --duration)\n"
		"  -d, --duration SECS  start no new round after SECS seconds\n"
		"  -s, --seed N         random seed (default: from time and pid)\n"
		"  -i, --interval MS    steady churn instead of rounds: a new region\n"
		"                       every MS milliseconds, for --duration; at most\n"
		"                       --regions at once\n"
		"  -l, --lifetime MS    steady churn: free each region MS milliseconds\n"
		"                       after it was made (default 3000)\n"
		"  -H, --hold FILE      after the last round, keep every region mapped,\n"
		"                       write \"PID REGIONS PAGES BYTES\" to FILE and wait\n"
		"                       for SIGUSR1 (or SIGINT/SIGTERM) before freeing\n"
		"  -q, --quiet          print only the summary line\n"
		"  -h, --help           show this help\n"
		"\n"
		"Every page gets a pattern that is checked before its region is\n"
		"unmapped.  Exit status: 0 ok, 1 corruption or system call failure,\n"
		"2 usage error, 77 memfd_secret(2) not available.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "regions", required_argument, NULL, 'n' },
		{ "max-pages", required_argument, NULL, 'm' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "hold", required_argument, NULL, 'H' },
		{ "interval", required_argument, NULL, 'i' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t nregions = 64, max_pages = 64, rounds = 8, duration = 0, seed;
	uint64_t interval_ms = 0, lifetime_ms = 3000;
	bool rounds_given = false, quiet = false, ok = true;
	const char *hold_file = NULL;
	struct churn_stats st = { 0 };
	struct region *regions;
	size_t *order;
	sigset_t wake;
	double start;
	int opt, rc = 0;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt_long(argc, argv, "n:m:r:d:s:H:i:l:qh", longopts, NULL)) != -1) {
		uint64_t *dst = NULL;

		switch (opt) {
		case 'n': dst = &nregions; break;
		case 'm': dst = &max_pages; break;
		case 'r': dst = &rounds; rounds_given = true; break;
		case 'd': dst = &duration; break;
		case 's': dst = &seed; break;
		case 'H': hold_file = optarg; break;
		case 'i': dst = &interval_ms; break;
		case 'l': dst = &lifetime_ms; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
		if (dst && !parse_u64(optarg, dst)) {
			fprintf(stderr, "secretmem-churn: -%c: '%s' is not a number\n", opt, optarg);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "secretmem-churn: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (duration && !rounds_given)
		rounds = 0;
	if (!nregions || nregions > 1 << 20 || !max_pages || max_pages > 1 << 20) {
		fprintf(stderr, "secretmem-churn: --regions and --max-pages must be in 1..%u\n",
			1 << 20);
		return EXIT_USAGE;
	}
	if (!rounds && !duration) {
		fprintf(stderr, "secretmem-churn: --rounds 0 needs --duration\n");
		return EXIT_USAGE;
	}
	if (interval_ms && (!duration || rounds_given || hold_file)) {
		fprintf(stderr, "secretmem-churn: --interval needs --duration, and "
			"takes neither --rounds nor --hold\n");
		return EXIT_USAGE;
	}
	if (interval_ms > 3600000 || !lifetime_ms || lifetime_ms > 3600000) {
		fprintf(stderr, "secretmem-churn: --interval and --lifetime must be in "
			"1..3600000 ms\n");
		return EXIT_USAGE;
	}

	page_size = sysconf(_SC_PAGESIZE);
	if (raise_memlock(nregions * max_pages) < 0)
		return EXIT_FAILURE;
	rng_state = seed;
	regions = calloc(nregions, sizeof(*regions));
	order = calloc(nregions, sizeof(*order));
	if (!regions || !order) {
		fprintf(stderr, "secretmem-churn: out of memory\n");
		return EXIT_FAILURE;
	}
	/* Blocked before anyone can learn our pid from the --hold file. */
	{
		struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
	}
	sigemptyset(&wake);
	sigaddset(&wake, SIGUSR1);
	sigaddset(&wake, SIGINT);
	sigaddset(&wake, SIGTERM);
	if (hold_file)
		sigprocmask(SIG_BLOCK, &wake, NULL);

	start = now_seconds();
	if (interval_ms) {
		rc = steady(regions, nregions, max_pages, interval_ms / 1e3,
			    lifetime_ms / 1e3, (double)duration, &st, &ok);
		goto out;
	}
	for (;;) {
		bool last;
		size_t n = 0;

		/* Top the population up to --regions. */
		for (size_t i = 0; i < nregions; i++) {
			if (regions[i].addr)
				continue;
			rc = region_create(&regions[i], 1 + rng_below(max_pages), &st);
			if (rc)
				goto out;
		}
		st.rounds++;
		last = (rounds && st.rounds >= rounds) ||
		       (duration && now_seconds() - start >= duration);
		if (last)
			break;
		/* Free a random half, in random order. */
		for (size_t i = 0; i < nregions; i++)
			if (rng_next() & 1)
				order[n++] = i;
		shuffle(order, n);
		if (!free_slots(regions, order, n, &st))
			ok = false;
		if (!quiet)
			printf("secretmem-churn: round %" PRIu64 ": freed %zu regions, "
			       "%" PRIu64 " pages held\n", st.rounds, n, st.held_pages);
	}

	if (hold_file && hold(hold_file, &st, nregions, &wake, quiet) < 0) {
		rc = EXIT_FAILURE;
		goto out;
	}
out:
	/* Free whatever is left, in random order, checking each region. */
	{
		size_t n = 0;

		for (size_t i = 0; i < nregions; i++)
			if (regions[i].addr)
				order[n++] = i;
		shuffle(order, n);
		if (!free_slots(regions, order, n, &st))
			ok = false;
	}
	if (!ok && !rc)
		rc = EXIT_FAILURE;
	printf("secretmem-churn: %s seed=%" PRIu64 " rounds=%" PRIu64
	       " regions=%" PRIu64 " pages=%" PRIu64 " bytes=%" PRIu64
	       " freed=%" PRIu64 " peak_held_pages=%" PRIu64 " bad_words=%" PRIu64
	       " elapsed=%.2fs\n", rc ? "FAILED" : "ok", seed, st.rounds, st.allocated,
	       st.allocated_pages, st.allocated_pages * page_size, st.freed,
	       st.peak_held_pages, st.errors, now_seconds() - start);
	free(order);
	free(regions);
	return rc;
}
