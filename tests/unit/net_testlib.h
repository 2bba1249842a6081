/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for the network tests: run tests/lib/httpsd.js with a fresh test CA. */
#ifndef OIDC_NET_TESTLIB_H
#define OIDC_NET_TESTLIB_H

#include <stdint.h>
#include <sys/types.h>

struct nt_server {
	pid_t pid;
	int stdin_fd;		/* closing it makes the server exit */
	int port;
	char dir[64];		/* temporary directory: certs/, cache dirs */
	char ca_file[160];
	char base[64];		/* https://127.0.0.1:PORT */
};

/* Make a temp dir with a test CA and start the server; aborts the test on failure. */
void nt_server_start(struct nt_server *s);

/* Stop the server and remove the temp dir. */
void nt_server_stop(struct nt_server *s);

/* How many times the server has answered path (via GET /_counts). */
int64_t nt_count(const struct nt_server *s, const char *path);

/* Milliseconds on the monotonic clock. */
int64_t nt_now_ms(void);

/* Remove a directory tree (test cleanup). */
void nt_rm_rf(const char *path);

#endif
