#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Forward Secure Sealing of a journal holding oidc-audit entries, on a host
# of its own (tests/lib/nshost.sh): journalctl --setup-keys, journald with
# Seal=yes, real audit records (tests/data/audit-fragment.log: the first
# 145 lines of ../shared/bench/audit-corpus.log.xz, in the tree so that a
# copy of the checkout anywhere runs it)
# through the oidc-audit plugin into that journal.  The sealed file
# verifies with the verification key; a changed byte of one entry, or the
# wrong key, fails.  And what oidc-audit(8) says sealing does not catch,
# checked: the file cut back to an earlier seal, a removed file, and files
# sealed by a root who copied the sealing key all verify.
set -u
bin=${top_builddir:?}/auditd-helper/oidc-audit
. "${top_srcdir:?}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/procs.sh"
. "$top_srcdir/tests/lib/nshost.sh"
ns_usable || skip_all "needs root and namespaces (unshare, nsenter, ip)"
[ -x /lib/systemd/systemd-journald ] || skip_all "no systemd-journald"
T=$(mktemp -d /tmp/pam_oidc-sealed.XXXXXX) || bail "mktemp"
at_exit rm -rf "$T"
at_exit reap
SUB=sub-sealed-$$-$RANDOM
plan 10

# The verification key lives in $T/verify-key, beside the host, never in
# its tree ($T/h is the host's /var/log and /etc/machine-id): whoever owns
# the host must not hold it.
ns_host h "$T/h" || bail "the host did not come up"
mid=$(cat "$T/h/machine-id")
jdir=$T/h/log/journal/$mid
# Compress=no: the entries' bytes are in the file as written, so the test
# can change one of them.
ns_journald h Seal=yes Compress=no || bail "no journald on h: $(cat "$T/h/journald.log")"
ns_run h journalctl --setup-keys --interval=10s >"$T/verify-key" 2>"$T/setup.err"
rc=$?
key=$(cat "$T/verify-key")
ns_run h journalctl --rotate	# new files, opened with the sealing key
[ $rc = 0 ] && grep -Eqx '[0-9a-f]+(-[0-9a-f]+)+/[0-9a-f]+-[0-9a-f]+' "$T/verify-key" &&
	[ "$(stat -c %a "$jdir/fss")" = 600 ] && ! grep -rqF "${key%%/*}" "$T/h"
ok $? "setup-keys: sealing key in the host's journal folder (0600), verification key only on stdout" \
	"$(cat "$T/setup.err")"

# The plugin, as auditd runs it (EOE-terminated records on stdin), with
# the host's registry: session 2 of login uid 1001 (the corpus's) is
# $SUB's.  Two batches, the second one seal interval later.
awk '{ print } /^type=PROCTITLE/ { match($0, /audit\([0-9.]*:[0-9]*\)/); print "type=EOE msg=" substr($0, RSTART, RLENGTH) ": " }' \
	"$top_srcdir/tests/data/audit-fragment.log" >"$T/stream"
cut=$(grep -n '^type=EOE' "$T/stream" | sed -n '20s/:.*//p')
head -n "$cut" "$T/stream" >"$T/batch1"
tail -n +"$((cut + 1))" "$T/stream" >"$T/batch2"
printf 'kernel_status_interval = 0\nbackfill = no\n' >"$T/plugin.conf"
chmod 0600 "$T/plugin.conf"
ns_run h sh -c 'umask 077 && mkdir -p /run/pam_oidc/sessions && cat >/run/pam_oidc/sessions/2' <<EOF
{"boot_id":"$(tr -d '-' </proc/sys/kernel/random/boot_id)","session":2,"loginuid":1001,"user":"alice","issuer":"https://idp.example","subject":"$SUB","username":"alice","login_id":"00112233445566778899aabbccddeeff","service":"sshd","opened":1795639430000000}
EOF
feed() { ns_run h "$bin" --config "$T/plugin.conf" --registry /run/pam_oidc/sessions --output journal <"$1" 2>>"$T/plugin.err"; }
entries() { journalctl --file "$1" OIDC_SUBJECT="$SUB" -o cat 2>/dev/null | grep -c .; }
feed "$T/batch1"
rc1=$?
ns_run h journalctl --sync
n1=$(ns_run h journalctl OIDC_SUBJECT="$SUB" -o cat | grep -c .)
# Past the interval the next entry makes journald seal the one before.
sleep 11
echo "next seal interval" | ns_run h systemd-cat -t sealed-test
ns_run h journalctl --sync
# What a root can get back to: the file as it stood at that seal (kept
# then, or rebuilt by cutting off the later objects and undoing the links
# to them and the header's counters, none of which the seals cover).
cp "$jdir/system.journal" "$T/at-seal.journal"
feed "$T/batch2"
rc2=$?
ns_journald_stop h	# closing seals the rest
n=$(entries "$jdir/system.journal")
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$n1" -gt 5 ] && [ "$n" -gt "$n1" ] &&
	journalctl --file "$jdir/system.journal" OIDC_SUBJECT="$SUB" -o cat | grep -qx "alice (sub ${SUB:0:12}…) ran rm g1" &&
	journalctl --header --file "$jdir/system.journal" | grep -qx 'Compatible flags: SEALED'
ok $? "the sealed journal holds the plugin's entries of $SUB ($n1, then $n)" "$(cat "$T/plugin.err")"

# "final 0 entries not sealed": the figure is a time span, the entries of
# the file's last that long that no seal covers.
verify() { journalctl --verify --verify-key="$1" --file="$2" >"$T/v.out" 2>&1; }
verify "$key" "$jdir/system.journal"
rc=$?
tags=$(journalctl --header --file "$jdir/system.journal" | sed -n 's/^Tag objects: //p')
[ $rc = 0 ] && grep -q '^PASS: ' "$T/v.out" && grep -q '^=> Validated from .*, final 0 entries not sealed' "$T/v.out" &&
	[ "$tags" -ge 2 ]
ok $? "journalctl --verify --verify-key: PASS, seals checked up to the last entry ($tags seals)" "$(cat "$T/v.out")"

# One entry's MESSAGE, changed in a copy: "rm g1" becomes "rm g7".  (The
# data object's hash, which --verify checks without a key too, is the first
# to fail; the seals are what stop a rewrite that mends the hashes.)
cp "$jdir/system.journal" "$T/changed.journal"
off=$(grep -boaF "MESSAGE=alice (sub ${SUB:0:12}…) ran rm g1" "$T/changed.journal" | head -n 1 | cut -d: -f1)
len=$(printf '%s' "MESSAGE=alice (sub ${SUB:0:12}…) ran rm g" | wc -c)
[ -n "$off" ] && printf 7 | dd of="$T/changed.journal" bs=1 seek=$((off + len)) conv=notrunc status=none
journalctl --file "$T/changed.journal" OIDC_SUBJECT="$SUB" -o cat 2>/dev/null | grep -qx "alice (sub ${SUB:0:12}…) ran rm g7"
shows=$?
verify "$key" "$T/changed.journal"
rc=$?
# (journalctl reads the changed text: the byte is an entry's, not a spare one)
[ -n "$off" ] && [ $shows = 0 ] && [ $rc != 0 ] && grep -q '^FAIL: ' "$T/v.out"
ok $? "one byte of one entry's MESSAGE changed ('rm g7' read back): verify fails" "offset ${off:-none}, read back: $shows" "$(cat "$T/v.out")"

# The wrong key: one hex digit of the seed changed.
d=${key:0:1}
[ "$d" = 0 ] && w=1 || w=0
verify "$w${key:1}" "$jdir/system.journal"
rc=$?
[ $rc != 0 ] && grep -q '^FAIL: ' "$T/v.out"
ok $? "the unchanged file with a wrong verification key: verify fails" "$(cat "$T/v.out")"

# ------------------------------------------------------------ what sealing does not catch
# The file cut back to the earlier seal: the second batch is gone, and it
# verifies.  Only a copy kept elsewhere (journal-remote) shows the loss.
verify "$key" "$T/at-seal.journal"
rc=$?
gone=$(($(entries "$jdir/system.journal") - $(entries "$T/at-seal.journal")))
# The copy's first batch is sealed: journald wrote a seal (its second,
# after the one of an empty file) before the entry that began the next
# interval, and that entry is the copy's last.
tags=$(journalctl --header --file "$T/at-seal.journal" | sed -n 's/^Tag objects: //p')
last=$(journalctl --file "$T/at-seal.journal" -n 1 -o cat)
[ $rc = 0 ] && grep -q '^PASS: ' "$T/v.out" && grep -q '^=> Validated from' "$T/v.out" &&
	[ "$tags" -ge 2 ] && [ "$last" = "next seal interval" ] && [ "$gone" -gt 0 ]
ok $? "NOT caught: the file cut back to an earlier seal ($gone entries gone) verifies" \
	"seals $tags, last entry: $last" "$(cat "$T/v.out")"

# A removed file: the others verify, nothing names the missing one.
mv "$jdir/system.journal" "$T/removed.journal"
journalctl --verify --verify-key="$key" --directory="$jdir" >"$T/v.out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q '^PASS: ' "$T/v.out" && ! grep -q 'system.journal' "$T/v.out"
ok $? "NOT caught: the host's journal folder verifies with its newest file removed" "$(cat "$T/v.out")"

# A root who copied the sealing key (the fss file) writes a journal of his
# own: entries that never happened, sealed with it, verify with the real
# verification key.  Here the copy is taken after the run; taken before,
# it seals any interval from then on.
ns_host forger "$T/f" || bail "the forger's host did not come up"
cp "$T/h/machine-id" "$T/f/machine-id"
cp -p "$T/removed.journal" "$jdir/system.journal"
# (journald's own first entries first, then the key and new files, as on
# the real host: entries flushed from /run into a sealed file are not
# sealed in step, and fail the check)
ns_journald forger Seal=yes Compress=no || bail "no journald on forger: $(cat "$T/f/journald.log")"
cp -p "$jdir/fss" "$T/f/log/journal/$mid/fss"
ns_run forger journalctl --rotate
printf 'MESSAGE=alice (sub %s…) ran /usr/bin/true\nOIDC_SUBJECT=%s\nOIDC_EVENT=exec\n' "${SUB:0:12}" "$SUB" |
	ns_run forger logger --journald
ns_journald_stop forger
forged=$T/f/log/journal/$mid/system.journal
verify "$key" "$forged"
rc=$?
[ $rc = 0 ] && grep -q '^=> Validated from' "$T/v.out" &&
	journalctl --file "$forged" OIDC_SUBJECT="$SUB" -o cat | grep -qx "alice (sub ${SUB:0:12}…) ran /usr/bin/true"
ok $? "NOT caught: a journal sealed with a copy of the sealing key verifies" "$(cat "$T/v.out")"

# A file journald wrote without sealing passes --verify with the key too:
# only the "=> Validated" line says that seals were checked.
ns_host other "$T/o" && ns_journald other Compress=no || bail "no journald on other"
printf 'MESSAGE=never sealed\nOIDC_SUBJECT=%s\n' "$SUB" | ns_run other logger --journald
ns_journald_stop other
verify "$key" "$T/o/log/journal/$(cat "$T/o/machine-id")/system.journal"
rc=$?
[ $rc = 0 ] && grep -q '^PASS: ' "$T/v.out" && ! grep -q '^=> Validated' "$T/v.out"
ok $? "an unsealed file passes --verify with the key, without a '=> Validated' line" "$(cat "$T/v.out")"
# The off-host copy: systemd-journal-remote (252) writes what it receives
# unsealed unless told --seal (Seal= of journal-remote.conf, default no);
# told so, it seals with the central host's own key, and a file holding
# entries older than its current interval (any upload that arrives late)
# fails --verify.  The copy's worth is where it is, not a seal.
if [ -x /lib/systemd/systemd-journal-remote ]; then
	ns_host central "$T/c" || bail "the central host did not come up"
	cmid=$(cat "$T/c/machine-id")
	mkdir -p "$T/c/log/journal/$cmid" "$T/c/log/journal/remote"
	ns_run central journalctl --setup-keys --interval=10s >"$T/central-key" 2>/dev/null
	journalctl --file "$jdir/system.journal" -o export >"$T/export"
	for s in no yes; do
		ns_run central /lib/systemd/systemd-journal-remote --seal=$s \
			--output=/var/log/journal/remote/remote-$s.journal "$T/export" >>"$T/remote.log" 2>&1
	done
	r=$T/c/log/journal/remote
	journalctl --verify --verify-key="$(cat "$T/central-key")" --file="$r/remote-yes.journal" >"$T/v.out" 2>&1
	rc=$?
	[ "$(entries "$r/remote-no.journal")" = "$(entries "$jdir/system.journal")" ] &&
		journalctl --header --file "$r/remote-no.journal" | grep -qx 'Tag objects: 0' &&
		journalctl --header --file "$r/remote-yes.journal" | grep -qx 'Compatible flags: SEALED' &&
		[ $rc != 0 ] && grep -q 'Older entry after newer tag' "$T/v.out"
	ok $? "journal-remote: received entries unsealed by default; --seal=yes files with late entries fail --verify" \
		"$(cat "$T/remote.log" "$T/v.out")"
else
	pass "journal-remote: received entries unsealed by default # SKIP no systemd-journal-remote"
fi
finish
