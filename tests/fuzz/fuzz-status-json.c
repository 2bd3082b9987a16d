// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: what `collapsectl daemon` does with the document a status
 * socket sends: parse it with cJSON and, when it looks like a status
 * document (an object with a numeric "schema"), print it as a table and as
 * JSON.  A stranger or a broken daemon may send anything.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *text = malloc(size + 1);
	cJSON *doc;

	if (!text)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	memcpy(text, data, size);
	text[size] = '\0';
	doc = cJSON_Parse(text);
	if (cJSON_IsObject(doc) &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "schema")) && null) {
		print_ops_get(PRINT_TABLE)->daemon(null, text, doc);
		print_ops_get(PRINT_JSON)->daemon(null, text, doc);
	}
	cJSON_Delete(doc);
	free(text);
	return 0;
}
