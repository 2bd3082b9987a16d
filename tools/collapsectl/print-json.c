// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output (cJSON).  The keys are an interface: the VM tests and
 * operators' scripts parse them, so only ever add keys.
 *
 * cJSON keeps numbers as doubles, which would round counters and addresses
 * above 2^53; integers are therefore written as raw decimal text, and the
 * restoration ratio always with a decimal point so it reads back as a float.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "print.h"

static void json_add_u64(cJSON *obj, const char *key, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	cJSON_AddRawToObject(obj, key, buf);
}

static void json_add_ratio(cJSON *obj, const char *key, double val)
{
	char buf[64];
	size_t len;

	if (!isfinite(val)) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	/* "%.6f" without trailing zeros, keeping one decimal: 1.0, 1.333333 */
	snprintf(buf, sizeof(buf), "%.6f", val);
	len = strlen(buf);
	while (len > 2 && buf[len - 1] == '0' && buf[len - 2] != '.')
		buf[--len] = '\0';
	cJSON_AddRawToObject(obj, key, buf);
}

static cJSON *json_caps(const struct lc_caps *caps)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return NULL;
	json_add_u64(obj, "granule", caps->granule);
	cJSON_AddBoolToObject(obj, "bbml3", caps->bbml3);
	cJSON_AddBoolToObject(obj, "block_capable", caps->block_capable);
	cJSON_AddBoolToObject(obj, "rodata_full", caps->rodata_full);
	cJSON_AddBoolToObject(obj, "realm", caps->realm);
	cJSON_AddBoolToObject(obj, "poe", caps->poe);
	cJSON_AddBoolToObject(obj, "kfence", caps->kfence);
	if (caps->reason[0])
		cJSON_AddStringToObject(obj, "reason", caps->reason);
	else
		cJSON_AddNullToObject(obj, "reason");
	json_add_u64(obj, "ram_bytes", caps->ram_bytes);
	if (caps->has_linear_range) {
		json_add_u64(obj, "linear_start", caps->linear_start);
		json_add_u64(obj, "linear_end", caps->linear_end);
	}
	return obj;
}

static cJSON *json_stats(const struct lc_stats *stats)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *range, *leaves;
	int level;

	if (!obj)
		return NULL;
	if (stats->has_range) {
		range = cJSON_AddObjectToObject(obj, "range");
		if (range) {
			json_add_u64(range, "start", stats->start);
			json_add_u64(range, "end", stats->end);
		}
	} else {
		cJSON_AddNullToObject(obj, "range");
	}
	leaves = cJSON_AddObjectToObject(obj, "leaves");
	if (leaves)
		for (level = 0; level < LC_LEVEL_NR; level++)
			json_add_u64(leaves, lc_level_name((enum lc_level)level),
				     stats->leaves[level]);
	json_add_u64(obj, "leaves_total", lc_stats_leaves_total(stats));
	json_add_u64(obj, "invalid", stats->invalid);
	json_add_u64(obj, "table_pages", stats->table_pages);
	json_add_u64(obj, "ideal_leaves", stats->ideal_leaves);
	json_add_u64(obj, "mapped_bytes", stats->mapped_bytes);
	json_add_ratio(obj, "restoration", lc_stats_restoration(stats));
	return obj;
}

static int json_print(FILE *out, const cJSON *root)
{
	char *text = cJSON_Print(root);

	if (!text)
		return -ENOMEM;
	fprintf(out, "%s\n", text);
	cJSON_free(text);
	return 0;
}

static int json_status(FILE *out, const struct lc_caps *caps,
		       const struct lc_stats *stats)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *caps_obj = json_caps(caps);
	cJSON *stats_obj = json_stats(stats);
	int err = -ENOMEM;

	if (root && caps_obj && stats_obj) {
		cJSON_AddItemToObject(root, "caps", caps_obj);
		cJSON_AddItemToObject(root, "stats", stats_obj);
		err = json_print(out, root);
	} else {
		cJSON_Delete(caps_obj);
		cJSON_Delete(stats_obj);
	}
	cJSON_Delete(root);
	return err;
}

const struct print_ops print_json_ops = {
	.status = json_status,
};
