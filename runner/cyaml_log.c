/* cyaml_log.c: libcyaml's log lines gathered into one message and its position. */
#include "cyaml_log.h"

#include <stdio.h>
#include <string.h>

void cyaml_log_capture(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct cyaml_log *log = ctx;
	char line[256];
	const char *at;
	size_t n;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(line, sizeof line, fmt, args);
	if (!log->line && (at = strstr(line, "(line: ")))
		sscanf(at, "(line: %d, column: %d)", &log->line, &log->col);
	if (log->msg[0] || strstr(line, "Backtrace") || strstr(line, "(line: "))
		return;
	at = strncmp(line, "Load: ", 6) == 0 ? line + 6 : line;
	snprintf(log->msg, sizeof log->msg, "%s", at);
	n = strlen(log->msg);
	while (n && (log->msg[n - 1] == '\n' || log->msg[n - 1] == ' '))
		log->msg[--n] = '\0';
}

cyaml_config_t cyaml_log_config(struct cyaml_log *log)
{
	return (cyaml_config_t){
		.log_fn = cyaml_log_capture,
		.log_ctx = log,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_NO_ALIAS,
	};
}
