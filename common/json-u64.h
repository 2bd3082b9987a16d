/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit counters in JSON, shared by collapsed's status document and
 * collapsectl's --format=json.  cJSON keeps numbers as doubles, which lose
 * precision above 2^53; counters are written as raw integer text instead.
 */
#ifndef LINMAP_JSON_U64_H
#define LINMAP_JSON_U64_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

static inline void json_add_u64(cJSON *obj, const char *key, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	cJSON_AddRawToObject(obj, key, buf);
}

/* @val when @has, null otherwise (a figure the kernel did not send). */
static inline void json_add_opt_u64(cJSON *obj, const char *key, bool has,
				    uint64_t val)
{
	if (has)
		json_add_u64(obj, key, val);
	else
		cJSON_AddNullToObject(obj, key);
}

#endif
