/* ytree.h: a YAML document as a small tree whose nodes know their position. */
#ifndef NNRUN_YTREE_H
#define NNRUN_YTREE_H

#include <stddef.h>

#include "err.h"

#define YTREE_MAX_DEPTH 16
#define YTREE_MAX_NODES 100000

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type type;
	int line, col;          /* 1-based start of the node in the file */
	char *value;            /* scalar text (NUL-terminated) */
	size_t len;
	int quoted;             /* scalar written in quotes (a string) */
	struct ynode **items;   /* seq: elements; map: key, value, key, ... */
	int n;
};

/* Parses buf as exactly one YAML document. Syntax errors carry libyaml's
 * position; anchors and aliases, further documents, nesting deeper than
 * YTREE_MAX_DEPTH and more than YTREE_MAX_NODES nodes are errors. An
 * empty document gives *root == NULL. */
int ytree_parse(const char *file, const char *buf, size_t len,
		struct ynode **root, struct err *e);

void ytree_free(struct ynode *node);

/* The value node of key in a mapping, or NULL; *key_node gets the key. */
const struct ynode *ytree_get(const struct ynode *map, const char *key,
			      const struct ynode **key_node);

/* A plain scalar meaning null: empty, ~, null, Null, NULL. */
int ytree_is_null(const struct ynode *node);

#endif
