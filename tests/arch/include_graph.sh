#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The house rules between folders (DESIGN.md "Layout", HACKING.md): every
# quoted #include of a part names a header of that part or of a part its
# arrows allow; config.h (generated) is allowed everywhere.  The build
# gives each part only those include paths, so a forbidden include does
# not compile either; this test says which arrow was broken, and also
# catches what the compiler cannot (an include that happens to resolve
# through a path it should not have).  The last tests check that the
# checker bites, and that only jose/ calls the pieces of the verdict.
set -u
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tap.sh"
. "$src/tests/lib/procs.sh"

# allowed PART: the parts PART may include (itself first).
allowed() {
	case $1 in
	common) echo common ;;
	shared) echo shared common ;;
	jose) echo jose common ;;
	net) echo net jose shared common ;;
	flow) echo flow net jose shared common ;;
	module) echo module shared common ;;
	child | cli) echo "$1" flow net jose shared common ;;
	auditd-helper) echo auditd-helper common ;;
	*) return 1 ;;
	esac
}

# dir_of ROOT PART: the folder of PART under ROOT.
dir_of() {
	case $2 in
	common | auditd-helper) echo "$1/$2" ;;
	*) echo "$1/pam_oidc/$2" ;;
	esac
}

# check ROOT PART: print every forbidden include of PART, one per line.
check() {
	local root=$1 part=$2 f inc p hit
	local -a ok_parts
	read -r -a ok_parts <<<"$(allowed "$part")"
	for f in "$(dir_of "$root" "$part")"/*.[ch]; do
		[ -e "$f" ] || continue
		while read -r inc; do
			[ "$inc" = config.h ] && continue
			hit=
			for p in "${ok_parts[@]}"; do
				[ -e "$(dir_of "$root" "$p")/$inc" ] && { hit=$p; break; }
			done
			[ -n "$hit" ] || echo "${f#"$root"/} includes \"$inc\", which is not in ${ok_parts[*]}"
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
	done
}

parts="common shared jose net flow module child cli auditd-helper"
for part in $parts; do
	[ -d "$(dir_of "$src" "$part")" ] || { ok 1 "$part: folder exists"; continue; }
	out=$(check "$src" "$part")
	[ -z "$out" ]
	ok $? "$part includes only $(allowed "$part" | tr ' ' ',')"
	[ -n "$out" ] && printf '# %s\n' "$out"
done

# No stray sources: every C file of pam_oidc/ belongs to a part.
stray=$(find "$src/pam_oidc" -maxdepth 1 -name '*.[ch]' | sed "s|^$src/||")
[ -z "$stray" ]
ok $? "no C file outside the parts' folders${stray:+: $stray}"

# The checker bites: a copy of the module that includes a JOSE header, and
# of auditd-helper that includes a module header, are both refused.
tmp=$(mktemp -d) || exit 1
at_exit rm -rf "$tmp"
mkdir -p "$tmp/pam_oidc/module" "$tmp/pam_oidc/jose" "$tmp/pam_oidc/shared" "$tmp/common" "$tmp/auditd-helper"
: >"$tmp/pam_oidc/jose/jws.h"
: >"$tmp/pam_oidc/module/session.h"
: >"$tmp/common/buf.h"
printf '#include "config.h"\n#include "buf.h"\n#include "jws.h"\n' >"$tmp/pam_oidc/module/bad.c"
printf '#include "buf.h"\n#include "session.h"\n' >"$tmp/auditd-helper/bad.c"
out=$(check "$tmp" module; check "$tmp" auditd-helper)
[ "$(printf '%s\n' "$out" | grep -c .)" -eq 2 ] &&
	printf '%s\n' "$out" | grep -q 'module/bad.c includes "jws.h"' &&
	printf '%s\n' "$out" | grep -q 'auditd-helper/bad.c includes "session.h"'
ok $? "the checker refuses module -> jose and auditd-helper -> module, and nothing else"

# One verdict: the pieces under verify_token() are called only inside jose/.
calls=$(grep -nE '\b(verify_signature|claims_check|jws_verify_with_key)[[:space:]]*\(' \
	"$src"/pam_oidc/{shared,net,flow,module,child,cli}/*.c 2>/dev/null | sed "s|^$src/||")
[ -z "$calls" ]
ok $? "no front end calls verify_signature, claims_check or jws_verify_with_key"
[ -n "$calls" ] && printf '# %s\n' "$calls"

finish
