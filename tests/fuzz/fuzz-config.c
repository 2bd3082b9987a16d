// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: collapsed.conf as the daemon reads it (config_load(): the
 * reader that feeds inih, inih itself, every key's parser and the checks
 * between keys).  The input is the file's content, given to config_load()
 * through a memfd.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collapsed_config cfg;
	char err[CONFIG_ERROR_MAX], path[64];
	int fd = memfd_create("collapsed.conf", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		config_defaults(&cfg);
		if (config_load(path, false, &cfg, err, sizeof(err)) < 0 && !err[0])
			__builtin_trap();	/* a failure must say why */
	}
	close(fd);
	return 0;
}
