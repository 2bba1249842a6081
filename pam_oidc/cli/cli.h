/* SPDX-License-Identifier: BSD-2-Clause */
/* Subcommands of pam-oidc; each returns the process exit status. */
#ifndef OIDC_CLI_H
#define OIDC_CLI_H

int cli_verify(int argc, char **argv);
int cli_login(int argc, char **argv);
int cli_check(int argc, char **argv);

#endif
