#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch.pl --strict on every patch of the series: no
# ERROR, WARNING or CHECK is accepted.
. "$(dirname "$0")/lib.sh"

[ -x "$SRC/scripts/checkpatch.pl" ] || die "no expanded tree; run 'make expand' (log: none)"
bad=0
: >"$LOGS/checkpatch.log"
for p in $(series_list); do
	if ! (cd "$SRC" && ./scripts/checkpatch.pl --strict \
		--show-types --summary-file "$TOP/patches/$p") >>"$LOGS/checkpatch.log" 2>&1; then
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
