#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sparse (C=2) and W=1 on every directory whose C files the series
# touches, once on the base and once on the series, with the test
# kernel's configuration.  Fails on any warning the series has that the
# base does not (compared without line numbers).
. "$(dirname "$0")/lib.sh"
need sparse

cfg=$B/kernel-test/.config
[ -f "$cfg" ] || die "no test kernel configuration; run scripts/kunit.sh first (log: none)"

dirs=$(git -C "$SRC" diff --name-only "$BASE_TAG..$SERIES_BRANCH" -- '*.c' |
	grep -v '^tools/' | xargs -r -n1 dirname | sort -u)
if [ -z "$dirs" ]; then
	echo "sparse/W=1: the series touches no kernel C files"
	exit 0
fi

worktree() {
	if [ "$(git -C "$B/linux-base" rev-parse HEAD 2>/dev/null)" != \
	     "$(git -C "$SRC" rev-parse "$BASE_TAG")" ]; then
		rm -rf "$B/linux-base"
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$B/linux-base" "$BASE_TAG"
	fi
}
step "check out the base for comparison" sparse-worktree worktree

# check NAME TREE: warnings of C=2 W=1 builds of $dirs in TREE.
check() {
	o=$B/check-$1
	mkdir -p "$o"
	cp "$cfg" "$o/.config"
	make -s -C "$2" O="$o" CC="ccache gcc" HOSTCC="ccache gcc" olddefconfig &&
	# Recompile every object of the directories, or warnings of files
	# built by an earlier run would be missing (ccache replays them).
	for d in $dirs; do
		if [ -d "$o/$d" ]; then
			find "$o/$d" -name '*.o' -delete
		fi
	done
	make -C "$2" O="$o" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" \
		-k C=2 W=1 $(for d in $dirs; do [ -d "$2/$d" ] && echo "$d/"; done) \
		>"$LOGS/sparse-$1.out" 2>&1 || true
	grep -E ': (warning|error):' "$LOGS/sparse-$1.out" |
		sed -E -e "s|^$2/||" -e "s|^(\.\./)+$(basename "$2")/||" \
		       -e 's/:[0-9]+(:[0-9]+)?:/:/' |
		sort -u >"$LOGS/sparse-$1.warnings"
}
step "sparse + W=1 on the base ($(echo $dirs))" sparse-base check base "$B/linux-base"
step "sparse + W=1 on the series" sparse-series check series "$SRC"

new=$(comm -13 "$LOGS/sparse-base.warnings" "$LOGS/sparse-series.warnings")
if [ -n "$new" ]; then
	echo "$new" >&2
	die "the series adds $(echo "$new" | wc -l) sparse/W=1 warning(s) (log: $LOGS/sparse-series.out)"
fi
echo "sparse/W=1: no new warnings ($(wc -l <"$LOGS/sparse-base.warnings") on the base, $(wc -l <"$LOGS/sparse-series.warnings") with the series)"
