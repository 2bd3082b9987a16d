// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Counts per leaf level and per skip reason.  The kernel sends them as a
 * multi-attr nest per key, e.g. one FOLDS attribute per level:
 *
 *   FOLDS { LEVEL u32 (enum linmap_leaf_level), COUNT u64 (+ PAD) }
 *   FOLDS { LEVEL ..., COUNT ... }
 *   ...
 *
 * so a kernel may add a level or a reason without breaking this library:
 * a key we do not know is ignored, a key that is absent counts 0.  The
 * kernel's enums are translated explicitly, never used as indexes as they
 * come.
 */
#include <errno.h>

#include <linux/linmap.h>
#include <netlink/attr.h>

#include "libcollapse-private.h"

static int lc_level_index(uint64_t key)
{
	switch (key) {
	case LINMAP_LEAF_LEVEL_PUD:		return LC_LEVEL_PUD;
	case LINMAP_LEAF_LEVEL_CONT_PMD:	return LC_LEVEL_CONT_PMD;
	case LINMAP_LEAF_LEVEL_PMD:		return LC_LEVEL_PMD;
	case LINMAP_LEAF_LEVEL_CONT_PTE:	return LC_LEVEL_CONT_PTE;
	case LINMAP_LEAF_LEVEL_PTE:		return LC_LEVEL_PTE;
	default:				return -1;
	}
}

static int lc_skip_index(uint64_t key)
{
	switch (key) {
	case LINMAP_SKIP_REASON_INVALID:	return LC_SKIP_INVALID;
	case LINMAP_SKIP_REASON_ATTRIBUTES:	return LC_SKIP_ATTRIBUTES;
	case LINMAP_SKIP_REASON_PKEY:		return LC_SKIP_PKEY;
	case LINMAP_SKIP_REASON_REALM:		return LC_SKIP_REALM;
	case LINMAP_SKIP_REASON_EXCLUDED:	return LC_SKIP_EXCLUDED;
	case LINMAP_SKIP_REASON_ALIGNMENT:	return LC_SKIP_ALIGNMENT;
	case LINMAP_SKIP_REASON_BUDGET:		return LC_SKIP_BUDGET;
	default:				return -1;
	}
}

/* The skip reasons beyond lc_skip's frozen range: "young" alone. */
static int lc_young_index(uint64_t key)
{
	return key == LINMAP_SKIP_REASON_YOUNG ? 0 : -1;
}

const struct lc_count_set lc_level_counts = {
	.key_name	= "level",
	.key_type	= LINMAP_A_LEVEL_COUNT_LEVEL,
	.count_type	= LINMAP_A_LEVEL_COUNT_COUNT,
	.attr_max	= LINMAP_A_LEVEL_COUNT_MAX,
	.nr		= LC_LEVEL_NR,
	.index		= lc_level_index,
};

const struct lc_count_set lc_skip_counts = {
	.key_name	= "reason",
	.key_type	= LINMAP_A_SKIP_COUNT_REASON,
	.count_type	= LINMAP_A_SKIP_COUNT_COUNT,
	.attr_max	= LINMAP_A_SKIP_COUNT_MAX,
	.nr		= LC_SKIP_NR,
	.index		= lc_skip_index,
};

const struct lc_count_set lc_young_counts = {
	.key_name	= "reason",
	.key_type	= LINMAP_A_SKIP_COUNT_REASON,
	.count_type	= LINMAP_A_SKIP_COUNT_COUNT,
	.attr_max	= LINMAP_A_SKIP_COUNT_MAX,
	.nr		= 1,
	.index		= lc_young_index,
};

/* Both nest sets have three attribute types; room for a few more. */
#define LC_COUNT_ATTR_MAX	8

void lc_attrs_counts(struct lc_attrs *attrs, int type,
		     const struct lc_count_set *set, uint64_t *counts)
{
	struct nlattr *tb[LC_COUNT_ATTR_MAX + 1];
	struct nlattr *nla;
	uint64_t key, count;
	int rem, index;

	if (!attrs->head || set->attr_max > LC_COUNT_ATTR_MAX)
		return;

	nla_for_each_attr(nla, attrs->head, attrs->len, rem) {
		if (nla_type(nla) != type)
			continue;
		/* No policy: widths are checked below, unknown types skipped. */
		if (nla_parse_nested(tb, set->attr_max, nla, NULL) < 0) {
			lc_attrs_fail(attrs, -EPROTO,
				      "attribute '%s' is not a well-formed nest",
				      lc_attrs_name(attrs, type));
			return;
		}
		if (!tb[set->key_type] || !tb[set->count_type]) {
			lc_attrs_fail(attrs, -EPROTO,
				      "attribute '%s' has a nest without '%s'",
				      lc_attrs_name(attrs, type),
				      tb[set->key_type] ? "count" : set->key_name);
			return;
		}
		if (lc_attr_get_uint(tb[set->key_type], &key) < 0 ||
		    lc_attr_get_uint(tb[set->count_type], &count) < 0) {
			lc_attrs_fail(attrs, -EPROTO,
				      "attribute '%s' has a nest whose %s or count is not an integer of 1, 2, 4 or 8 bytes",
				      lc_attrs_name(attrs, type), set->key_name);
			return;
		}
		index = set->index(key);
		if (index < 0 || index >= set->nr)
			continue;	/* a level or reason newer than us */
		counts[index] += count;
	}
}
