/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Durations as people write them in collapsed.conf: "250ms", "5s", "10min",
 * "1h", "1h 30min" (the units systemd.time(7) uses, a bare number is
 * seconds).  Kept in nanoseconds of CLOCK_MONOTONIC.
 */
#ifndef COLLAPSED_DURATION_H
#define COLLAPSED_DURATION_H

#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/*
 * Parse @text into *@ns.  Returns 0, or -EINVAL with the reason in @why
 * ("unknown unit 'x' (use ms, s, min, h, d)"), or -ERANGE when it does not
 * fit in 64 bits of nanoseconds.
 */
int duration_parse(const char *text, uint64_t *ns, char *why, size_t why_size);

/* "250ms", "5s", "1h 30min", "0": the inverse of duration_parse(). */
void duration_format(char *buf, size_t size, uint64_t ns);

#endif /* COLLAPSED_DURATION_H */
