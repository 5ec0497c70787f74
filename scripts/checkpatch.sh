#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch.pl --strict on every patch of the series: no
# ERROR, WARNING or CHECK is accepted, except a type the patch itself
# justifies in its notes (below the "---" line, kept by export and
# expand as git notes), as a line
#     checkpatch: ignore TYPE: why
# UNKNOWN_COMMIT_ID is always off: the base is a tarball import without
# upstream history, so checkpatch cannot look up any Fixes: commit; the
# ids are checked by hand against the upstream history instead.
. "$(dirname "$0")/lib.sh"

[ -x "$SRC/scripts/checkpatch.pl" ] || die "no expanded tree; run 'make expand' (log: none)"
bad=0
: >"$LOGS/checkpatch.log"
for p in $(series_list); do
	ignore=UNKNOWN_COMMIT_ID
	for t in $(patch_notes "$PATCHES/$p" |
		   sed -n 's/^checkpatch: ignore \([A-Z_]*\): ..*/\1/p'); do
		ignore=$ignore,$t
	done
	if ! (cd "$SRC" && ./scripts/checkpatch.pl --strict --ignore "$ignore" \
		--show-types --summary-file "$PATCHES/$p") >>"$LOGS/checkpatch.log" 2>&1; then
		echo "checkpatch: $p"
		bad=$((bad + 1))
	fi
done
if [ $bad != 0 ]; then
	grep -E '^(ERROR|WARNING|CHECK)' "$LOGS/checkpatch.log" | head -n 20 >&2
	die "checkpatch --strict: $bad patch(es) with findings (log: $LOGS/checkpatch.log)"
fi
grep -E '^(ERROR|WARNING|CHECK)' "$LOGS/checkpatch.log" &&
	die "checkpatch --strict reported findings (log: $LOGS/checkpatch.log)"
echo "checkpatch --strict: $(series_list | wc -l) patches clean"
