/* ytree.c: builds a ytree from libyaml's events, keeping every position. */
#include "ytree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct builder {
	const char *file;
	const char *buf;
	size_t len;
	struct err *e;
	struct ynode *stack[YTREE_MAX_DEPTH + 1];
	int depth;
	int nodes;
	struct ynode *root;
};

static int syntax_error(struct builder *b, yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	yaml_mark_t m = p->problem_mark;
	const char *ctx = p->context;

	if (p->error == YAML_READER_ERROR) {
		/* The reader gives a byte offset: turn it into line and column
		 * (in characters, as libyaml counts them elsewhere). */
		size_t end = p->problem_offset < b->len ? p->problem_offset : b->len;
		int line = 1, col = 1;

		for (size_t i = 0; i < end; i++) {
			if (b->buf[i] == '\n')
				line++, col = 1;
			else if (((unsigned char)b->buf[i] & 0xc0) != 0x80)
				col++;
		}
		return err_set(b->e, NN_EUSAGE, b->file, line, col,
			       strstr(problem, "UTF-8") ? "not valid UTF-8 text: %s" : "%s",
			       problem);
	}
	if (p->error == YAML_MEMORY_ERROR)
		return err_set(b->e, NN_ERUN, b->file, 0, 0, "out of memory");
	if (m.index < b->len && b->buf[m.index] == '\t')
		return err_set(b->e, NN_EUSAGE, b->file, (int)m.line + 1,
			       (int)m.column + 1,
			       "a tab character: YAML is indented with spaces only");
	if (ctx)
		return err_set(b->e, NN_EUSAGE, b->file, (int)m.line + 1,
			       (int)m.column + 1, "YAML syntax: %s %s", problem, ctx);
	return err_set(b->e, NN_EUSAGE, b->file, (int)m.line + 1,
		       (int)m.column + 1, "YAML syntax: %s", problem);
}

static int add_child(struct ynode *parent, struct ynode *child)
{
	struct ynode **items;

	if ((parent->n & (parent->n - 1)) == 0) {
		size_t cap = parent->n ? (size_t)parent->n * 2 : 4;
		items = realloc(parent->items, cap * sizeof *items);
		if (!items)
			return -1;
		parent->items = items;
	}
	parent->items[parent->n++] = child;
	return 0;
}

static int push_node(struct builder *b, const yaml_event_t *ev,
		     enum ynode_type type, struct ynode **out)
{
	struct ynode *node;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;

	if (++b->nodes > YTREE_MAX_NODES)
		return err_set(b->e, NN_EUSAGE, b->file, line, col,
			       "more than %d YAML nodes", YTREE_MAX_NODES);
	node = calloc(1, sizeof *node);
	if (!node)
		return err_set(b->e, NN_ERUN, b->file, 0, 0, "out of memory");
	node->type = type;
	node->line = line;
	node->col = col;
	if (b->depth == 0) {
		if (b->root) {
			free(node);
			return err_set(b->e, NN_EUSAGE, b->file, line, col,
				       "more than one YAML document");
		}
		b->root = node;
	} else if (add_child(b->stack[b->depth - 1], node)) {
		free(node);
		return err_set(b->e, NN_ERUN, b->file, 0, 0, "out of memory");
	}
	if (type != YNODE_SCALAR) {
		if (b->depth == YTREE_MAX_DEPTH)
			return err_set(b->e, NN_EUSAGE, b->file, line, col,
				       "nested more than %d levels deep",
				       YTREE_MAX_DEPTH);
		b->stack[b->depth++] = node;
	}
	*out = node;
	return 0;
}

static int tag_error(struct builder *b, int line, int col)
{
	return err_set(b->e, NN_EUSAGE, b->file, line, col,
		       "YAML tags (!name, !!type) are not supported");
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *node;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;
	int rc;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return err_set(b->e, NN_EUSAGE, b->file, line, col,
			       "YAML aliases are not supported");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			break;
		/* A tag would change the type of what follows: '!!str 5'. */
		if (ev->data.scalar.tag)
			return tag_error(b, line, col);
		rc = push_node(b, ev, YNODE_SCALAR, &node);
		if (rc)
			return rc;
		node->len = ev->data.scalar.length;
		node->value = malloc(node->len + 1);
		if (!node->value)
			return err_set(b->e, NN_ERUN, b->file, 0, 0, "out of memory");
		memcpy(node->value, ev->data.scalar.value, node->len);
		node->value[node->len] = '\0';
		node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			break;
		if (ev->data.sequence_start.tag)
			return tag_error(b, line, col);
		return push_node(b, ev, YNODE_SEQ, &node);
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			break;
		if (ev->data.mapping_start.tag)
			return tag_error(b, line, col);
		return push_node(b, ev, YNODE_MAP, &node);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	default:
		return 0;
	}
	return err_set(b->e, NN_EUSAGE, b->file, line, col,
		       "YAML anchors are not supported");
}

int ytree_parse(const char *file, const char *buf, size_t len,
		struct ynode **root, struct err *e)
{
	struct builder b = { .file = file, .buf = buf, .len = len, .e = e };
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0, done = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		return err_set(e, NN_ERUN, file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!rc && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = syntax_error(&b, &parser);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc) {
		ytree_free(b.root);
		return rc;
	}
	*root = b.root;
	return 0;
}

void ytree_free(struct ynode *node)
{
	if (!node)
		return;
	for (int i = 0; i < node->n; i++)
		ytree_free(node->items[i]);
	free(node->items);
	free(node->value);
	free(node);
}

const struct ynode *ytree_get(const struct ynode *map, const char *key,
			      const struct ynode **key_node)
{
	if (!map || map->type != YNODE_MAP)
		return NULL;
	for (int i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		if (k->type == YNODE_SCALAR && strcmp(k->value, key) == 0) {
			if (key_node)
				*key_node = k;
			return map->items[i + 1];
		}
	}
	return NULL;
}

int ytree_is_null(const struct ynode *node)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (node->type != YNODE_SCALAR || node->quoted)
		return 0;
	for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
		if (strcmp(node->value, nulls[i]) == 0)
			return 1;
	return 0;
}
