# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
#
# The one laurel configuration the benchmarks compare oidc-audit with
# (tests/bench/audit_bench.sh on a file, tests/bench/exec_storm.sh as
# auditd's plugin): laurel 0.5.1 of Debian, argv as an array, no
# translation and no user database, as close to oidc-audit's work as
# laurel's options come.
#
#     . "$top_srcdir/tests/lib/laurel.sh"
#     laurel_config DIR FILE     # laurel -c FILE writes DIR/audit.log

[ -n "${LAUREL_SH_LOADED:-}" ] && return 0
LAUREL_SH_LOADED=1

# laurel_config DIR FILE: a laurel configuration in FILE that writes
# DIR/audit.log as user _laurel; DIR is created, owned by _laurel (every
# folder above it must let _laurel through).
laurel_config() {
	mkdir -p "$1"
	chown _laurel "$1" 2>/dev/null || true
	cat >"$2" <<EOT
directory = "$1"
user = "_laurel"
statusreport-period = 0
[auditlog]
file = "audit.log"
size = 100000000000
generations = 2
[transform]
execve-argv = [ "array" ]
[translate]
universal = false
user-db = false
EOT
}
