#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The harness's own tests: each kind of bad input stops the command with
# a non-zero status and exactly one "FAILED:" line that says what went
# wrong and where the log is.  Run last by "make test": it needs the
# built test kernel and selftests, and leaves build/linux as it found it.
. "$(dirname "$0")/lib.sh"

tmp=$B/harness-test
rm -rf "$tmp"
mkdir -p "$tmp"
fails=0

# expect NAME PATTERN CMD...: CMD must fail with one FAILED: line
# matching PATTERN.
expect() {
	_n=$1 _pat=$2
	shift 2
	if "$@" >"$tmp/$_n.out" 2>&1; then
		echo "harness: $_n: the command succeeded" >&2
		fails=$((fails + 1))
		return
	fi
	_lines=$(grep -c '^FAILED: ' "$tmp/$_n.out" || true)
	if [ "$_lines" != 1 ] || ! grep '^FAILED: ' "$tmp/$_n.out" | grep -Eq "$_pat"; then
		echo "harness: $_n: expected one 'FAILED: ...$_pat...' line, got:" >&2
		sed 's/^/    | /' "$tmp/$_n.out" >&2
		fails=$((fails + 1))
		return
	fi
	echo "harness: $_n: $(grep '^FAILED: ' "$tmp/$_n.out" | cut -c1-110)"
}

# A moved base: the installed package is not the recorded one.
sed 's/^BASE_PACKAGE_VERSION=.*/BASE_PACKAGE_VERSION=6.12.999-1/' "$RECORD" >"$tmp/record"
expect moved-base "is $BASE_PACKAGE_VERSION but the series is based on 6.12.999-1" \
	env BASE_RECORD="$tmp/record" "$TOP/scripts/base.sh"

# A patch that no longer applies (its first hunk's context changed).
mkdir -p "$tmp/patches"
cp "$PATCHES"/* "$tmp/patches/"
first=$(series_list | head -n 1)
awk '!done && /^ / && h { sub(/^ ./, " #"); done = 1 } /^@@ / { h = 1 } { print }' \
	"$PATCHES/$first" >"$tmp/patches/$first"
before=$(git -C "$SRC" for-each-ref --format='%(refname)' refs/heads/)
expect patch-does-not-apply "apply .*patches.*log: .*expand.log" \
	env PATCHES_DIR="$tmp/patches" "$TOP/scripts/expand.sh"
grep -q "patch $first does not apply" "$LOGS/expand.log" ||
	{ echo "harness: expand.log does not name $first" >&2; fails=$((fails + 1)); }
# Put the tree back and drop the branches the failed run kept.
"$TOP/scripts/expand.sh" >"$tmp/restore.out" 2>&1 ||
	die "restoring build/linux after the patch test (log: $tmp/restore.out)"
for r in $(git -C "$SRC" for-each-ref --format='%(refname)' refs/heads/); do
	echo "$before" | grep -qx "$r" || git -C "$SRC" update-ref -d "$r"
done

# A missing tool.
kernel=$TEST_O/arch/x86/boot/bzImage
tests=$TEST_O/kselftest/vfio/vfio_edu_dma_test
expect missing-tool "missing tool 'qemu-system-nonexistent'" \
	env QEMU=qemu-system-nonexistent "$TOP/scripts/boot.sh" "$kernel" "$tmp/boot" "$tests"

# A guest that never gets to run the tests.
expect failed-boot "no result token.*logs: " \
	env QEMU_APPEND=rdinit=/nonexistent "$TOP/scripts/boot.sh" "$kernel" "$tmp/boot" "$tests"

# A boot that takes too long.
expect timeout "timed out after 5 s" \
	env BOOT_TIMEOUT=5 "$TOP/scripts/boot.sh" "$kernel" "$tmp/boot" "$tests"

[ $fails = 0 ] || die "$fails harness test(s) failed (log: $tmp)"
echo "harness: bad input is reported as it should be (5 cases)"
