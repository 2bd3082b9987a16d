// SPDX-License-Identifier: GPL-2.0
/*
 * collapsed.conf parser.  inih does the ini syntax (with indentation and
 * '#' comments made to behave as collapsed.conf(5) says, in the reader
 * below); this file knows the keys.  inih calls the handler once per "key = value"; a handler that
 * returns 0 makes the parse fail with that line number.  inih does not pass
 * the line number to the handler (Debian builds it without
 * INI_HANDLER_LINENO), so the file is fed through ini_parse_stream() with a
 * reader that counts lines: the handler then names the line it rejects.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "duration.h"

enum config_key_type {
	KEY_DURATION,
	KEY_COUNT,
	KEY_PATH,
	KEY_MODE,
	KEY_GROUP,
	KEY_TEXTFILE,
};

struct config_key {
	const char *section;
	const char *name;
	enum config_key_type type;
	size_t offset;			/* in struct collapsed_config */
	uint64_t min, max;		/* for durations (ns) and counts */
};

#define DURATION_KEY(sec, key, lo, hi) \
	{ sec, #key, KEY_DURATION, offsetof(struct collapsed_config, key), lo, hi }
#define COUNT_KEY(sec, key, lo, hi) \
	{ sec, #key, KEY_COUNT, offsetof(struct collapsed_config, key), lo, hi }

#define MINUTE	(60 * NSEC_PER_SEC)
#define HOUR	(60 * MINUTE)
#define DAY	(24 * HOUR)

static const struct config_key config_keys[] = {
	DURATION_KEY("collapse", quiet_period, 100 * NSEC_PER_MSEC, DAY),
	DURATION_KEY("collapse", quiet_period_max, 100 * NSEC_PER_MSEC, DAY),
	DURATION_KEY("collapse", pingpong_window, 0, DAY),
	DURATION_KEY("collapse", resync_interval, MINUTE, 7 * DAY),
	COUNT_KEY("collapse", budget, 1, 1ULL << 20),
	COUNT_KEY("collapse", min_gain, 1, 1ULL << 40),
	DURATION_KEY("collapse", steady_interval, 0, DAY),
	DURATION_KEY("collapse", steady_cpu, NSEC_PER_MSEC, MINUTE),
	{ "status", "socket", KEY_PATH,
	  offsetof(struct collapsed_config, socket_path), 0, 0 },
	{ "status", "socket_mode", KEY_MODE,
	  offsetof(struct collapsed_config, socket_mode), 0, 0777 },
	{ "status", "socket_group", KEY_GROUP,
	  offsetof(struct collapsed_config, socket_group), 0, 0 },
	{ "metrics", "textfile", KEY_TEXTFILE,
	  offsetof(struct collapsed_config, metrics_textfile), 0, 0 },
};

#define CONFIG_NR_KEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

void config_defaults(struct collapsed_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->quiet_period = 5 * NSEC_PER_SEC;
	cfg->quiet_period_max = 10 * MINUTE;
	cfg->pingpong_window = MINUTE;
	cfg->resync_interval = HOUR;
	cfg->budget = 512;
	cfg->min_gain = 64;
	cfg->steady_interval = 10 * NSEC_PER_SEC;
	cfg->steady_cpu = 600 * NSEC_PER_MSEC;
	snprintf(cfg->socket_path, sizeof(cfg->socket_path), "%s",
		 CONFIG_DEFAULT_SOCKET);
	cfg->socket_mode = 0660;
	cfg->socket_gid = (gid_t)-1;
}

struct config_parse {
	const char *path;
	FILE *file;
	int line;			/* of the text inih is looking at */
	int next_line;
	bool at_line_start;		/* the reader's state within a line */
	bool prev_blank;
	bool in_comment;
	int key_line[CONFIG_NR_KEYS];	/* where each key was set, 0 = not */
	struct collapsed_config cfg;
	char *err;			/* the first error only */
	size_t err_size;
	bool failed;
};

static bool config_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * fgets() that keeps count of the lines (a long line arrives in pieces)
 * and gives inih each line in the syntax collapsed.conf(5) documents,
 * which Debian's inih, built with its defaults, does not follow:
 * - Indentation is ignored.  inih takes an indented line after a key as a
 *   continuation of that key (INI_ALLOW_MULTILINE), so "  budget = 8"
 *   under "quiet_period = 5s" would set quiet_period twice.  Leading
 *   blanks are removed here, so inih never sees a continuation.
 * - '#' starts a comment at the start of a line or after a blank, as ';'
 *   does (inih's INI_INLINE_COMMENT_PREFIXES is ";" only).  The rest of
 *   the line is dropped here; a '#' inside a word ("/run/a#b") stays.
 * Only blanks and comments are removed, so what inih parses, and the line
 * numbers in errors, are those of the file.
 */
static char *config_reader(char *str, int num, void *stream)
{
	struct config_parse *p = stream;
	char *ret = fgets(str, num, p->file);
	bool newline, prev_blank;
	size_t skip, i;

	p->line = p->next_line;
	if (!ret)
		return NULL;
	newline = strchr(str, '\n') != NULL;
	if (newline)
		p->next_line++;

	if (p->in_comment) {
		/* The rest of a line whose comment began in an earlier piece. */
		str[0] = '\0';
	} else {
		if (p->at_line_start) {
			for (skip = 0; config_blank(str[skip]); skip++)
				;
			memmove(str, str + skip, strlen(str + skip) + 1);
		}
		prev_blank = p->at_line_start || p->prev_blank;
		for (i = 0; str[i]; i++) {
			if (str[i] == '#' && prev_blank) {
				str[i] = '\0';
				p->in_comment = !newline;
				break;
			}
			prev_blank = config_blank(str[i]);
		}
		p->prev_blank = prev_blank;
		/* A piece of nothing but blanks: the line has not begun yet. */
		p->at_line_start = p->at_line_start && !str[0];
	}
	if (newline) {
		p->at_line_start = true;
		p->in_comment = false;
		p->prev_blank = false;
	}
	return ret;
}

static int config_fail(struct config_parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int config_fail(struct config_parse *p, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (p->failed)
		return 0;
	p->failed = true;
	len = snprintf(p->err, p->err_size, "%s:%d: ", p->path, p->line);
	if (len < 0 || (size_t)len >= p->err_size)
		return 0;
	va_start(ap, fmt);
	vsnprintf(p->err + len, p->err_size - len, fmt, ap);
	va_end(ap);
	return 0;
}

static int parse_u64(const char *text, uint64_t *val, int base)
{
	char *end;

	if (!*text || *text == '-' || *text == '+' || *text == ' ')
		return -EINVAL;
	errno = 0;
	*val = strtoull(text, &end, base);
	if (*end)
		return -EINVAL;
	return errno == ERANGE ? -ERANGE : 0;
}

static int config_set_duration(struct config_parse *p,
			       const struct config_key *key, const char *value)
{
	uint64_t *field = (uint64_t *)((char *)&p->cfg + key->offset);
	char why[160], lo[32], hi[32];
	uint64_t ns;

	if (duration_parse(value, &ns, why, sizeof(why)) < 0)
		return config_fail(p, "[%s] %s: %s", key->section, key->name,
				   why);
	if (ns < key->min || ns > key->max) {
		duration_format(lo, sizeof(lo), key->min);
		duration_format(hi, sizeof(hi), key->max);
		return config_fail(p, "[%s] %s: '%s' is out of range (%s to %s)",
				   key->section, key->name, value, lo, hi);
	}
	*field = ns;
	return 1;
}

static int config_set_count(struct config_parse *p,
			    const struct config_key *key, const char *value)
{
	uint64_t *field = (uint64_t *)((char *)&p->cfg + key->offset);
	uint64_t n;
	int err = parse_u64(value, &n, 10);

	if (err == -EINVAL)
		return config_fail(p, "[%s] %s: '%s' is not a number",
				   key->section, key->name, value);
	if (err || n < key->min || n > key->max)
		return config_fail(p, "[%s] %s: '%s' is out of range (%" PRIu64
				   " to %" PRIu64 ")", key->section, key->name,
				   value, key->min, key->max);
	*field = n;
	return 1;
}

static int config_set_path(struct config_parse *p,
			   const struct config_key *key, const char *value)
{
	if (*value && *value != '/')
		return config_fail(p, "[%s] %s: '%s' is not an absolute path (or empty, for no status socket)",
				   key->section, key->name, value);
	if (strlen(value) >= sizeof(p->cfg.socket_path))
		return config_fail(p, "[%s] %s: '%s' is longer than a UNIX socket path can be (%zu bytes)",
				   key->section, key->name, value,
				   sizeof(p->cfg.socket_path) - 1);
	snprintf(p->cfg.socket_path, sizeof(p->cfg.socket_path), "%s", value);
	return 1;
}

/*
 * node_exporter's textfile collector reads the *.prom files of one
 * directory, so the file must be named so; it is written next to itself
 * (PATH.tmp.PID) and renamed, so the directory must be one the daemon may
 * write.
 */
static int config_set_textfile(struct config_parse *p,
			       const struct config_key *key, const char *value)
{
	size_t len = strlen(value);

	if (!len) {
		p->cfg.metrics_textfile[0] = '\0';
		return 1;
	}
	if (*value != '/')
		return config_fail(p, "[%s] %s: '%s' is not an absolute path (or empty, for no metrics file)",
				   key->section, key->name, value);
	if (len < 6 || strcmp(value + len - 5, ".prom") ||
	    value[len - 6] == '/')
		return config_fail(p, "[%s] %s: '%s' does not end in NAME.prom (node_exporter's textfile collector reads only *.prom files)",
				   key->section, key->name, value);
	if (len >= sizeof(p->cfg.metrics_textfile))
		return config_fail(p, "[%s] %s: '%s' is longer than %zu bytes",
				   key->section, key->name, value,
				   sizeof(p->cfg.metrics_textfile) - 1);
	snprintf(p->cfg.metrics_textfile, sizeof(p->cfg.metrics_textfile),
		 "%s", value);
	return 1;
}

static int config_set_mode(struct config_parse *p,
			   const struct config_key *key, const char *value)
{
	uint64_t mode;
	int err = parse_u64(value, &mode, 8);

	if (err == -EINVAL)
		return config_fail(p, "[%s] %s: '%s' is not an octal mode (e.g. 0660)",
				   key->section, key->name, value);
	if (err || mode > key->max)
		return config_fail(p, "[%s] %s: '%s' is out of range (0 to 0777)",
				   key->section, key->name, value);
	p->cfg.socket_mode = (mode_t)mode;
	return 1;
}

static int config_set_group(struct config_parse *p,
			    const struct config_key *key, const char *value)
{
	struct group grp, *found = NULL;
	char buf[4096];
	int err;

	if (!*value) {
		p->cfg.socket_group[0] = '\0';
		p->cfg.socket_gid = (gid_t)-1;
		return 1;
	}
	if (strlen(value) >= sizeof(p->cfg.socket_group))
		return config_fail(p, "[%s] %s: '%s' is too long a group name",
				   key->section, key->name, value);
	err = getgrnam_r(value, &grp, buf, sizeof(buf), &found);
	if (err || !found)
		return config_fail(p, "[%s] %s: no group '%s' on this system%s%s",
				   key->section, key->name, value,
				   err ? ": " : "", err ? strerror(err) : "");
	snprintf(p->cfg.socket_group, sizeof(p->cfg.socket_group), "%s", value);
	p->cfg.socket_gid = grp.gr_gid;
	return 1;
}

static int config_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct config_parse *p = user;
	const struct config_key *key;
	bool section_known = false;
	size_t i;

	for (i = 0; i < CONFIG_NR_KEYS; i++) {
		key = &config_keys[i];
		if (strcmp(section, key->section))
			continue;
		section_known = true;
		if (strcmp(name, key->name))
			continue;
		if (p->key_line[i])
			return config_fail(p, "[%s] %s: set twice (first on line %d)",
					   section, name, p->key_line[i]);
		p->key_line[i] = p->line;
		switch (key->type) {
		case KEY_DURATION:
			return config_set_duration(p, key, value);
		case KEY_COUNT:
			return config_set_count(p, key, value);
		case KEY_PATH:
			return config_set_path(p, key, value);
		case KEY_MODE:
			return config_set_mode(p, key, value);
		case KEY_GROUP:
			return config_set_group(p, key, value);
		case KEY_TEXTFILE:
			return config_set_textfile(p, key, value);
		}
	}
	if (!*section)
		return config_fail(p, "%s: key outside a section (put it under [collapse], [status] or [metrics])",
				   name);
	if (!section_known)
		return config_fail(p, "unknown section [%s] (known: [collapse], [status], [metrics])",
				   section);
	return config_fail(p, "[%s] %s: unknown key", section, name);
}

/* Checks between keys, after the whole file was read. */
static int config_check(struct config_parse *p)
{
	const struct collapsed_config *cfg = &p->cfg;
	char a[32], b[32];
	size_t i;

	if (cfg->quiet_period_max < cfg->quiet_period) {
		for (i = 0; i < CONFIG_NR_KEYS; i++)
			if (!strcmp(config_keys[i].name, "quiet_period_max"))
				break;
		/* Name the line of whichever of the two was written last. */
		p->line = p->key_line[i] > p->key_line[0] ? p->key_line[i] :
							    p->key_line[0];
		duration_format(a, sizeof(a), cfg->quiet_period_max);
		duration_format(b, sizeof(b), cfg->quiet_period);
		config_fail(p, "[collapse] quiet_period_max: %s is below quiet_period (%s)",
			    a, b);
		return -EINVAL;
	}
	return 0;
}

int config_load(const char *path, bool missing_ok,
		struct collapsed_config *cfg, char *err, size_t err_size)
{
	struct config_parse *p;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, err_size, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	p->path = path;
	p->next_line = 1;
	p->at_line_start = true;
	p->err = err;
	p->err_size = err_size;
	config_defaults(&p->cfg);

	p->file = fopen(path, "re");
	if (!p->file) {
		ret = -errno;
		if (ret == -ENOENT && missing_ok) {
			*cfg = p->cfg;
			err[0] = '\0';
			ret = 0;
		} else {
			snprintf(err, err_size, "%s: cannot read the configuration: %s",
				 path, strerror(-ret));
		}
		goto out;
	}
	ret = ini_parse_stream(config_reader, p, config_handler, p);
	fclose(p->file);
	if (ret == -2) {
		snprintf(err, err_size, "%s: %s", path, strerror(ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	if (ret > 0 && !p->failed) {
		/* inih's own complaint: neither "[section]" nor "key = value". */
		p->line = ret;
		config_fail(p, "syntax error (expected '[section]' or 'key = value')");
	}
	if (ret || p->failed || config_check(p) < 0) {
		ret = -EINVAL;
		goto out;
	}
	*cfg = p->cfg;
	err[0] = '\0';
out:
	free(p);
	return ret;
}
