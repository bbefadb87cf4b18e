/* cyaml_log.h: libcyaml's log lines gathered into one message and its position. */
#ifndef NNRUN_CYAML_LOG_H
#define NNRUN_CYAML_LOG_H

#include <stdarg.h>
#include <cyaml/cyaml.h>

/* libcyaml reports through a log callback: keep its first error and the
 * first position of the backtrace that follows (0 when none). */
struct cyaml_log {
	char msg[256];
	int line, col;
};

/* The log_fn of a cyaml_config_t whose log_ctx is a struct cyaml_log. */
void cyaml_log_capture(cyaml_log_t level, void *ctx, const char *fmt, va_list args);

/* The settings nnrun's loaders give libcyaml: errors only, captured into
 * log; aliases refused. */
cyaml_config_t cyaml_log_config(struct cyaml_log *log);

#endif
