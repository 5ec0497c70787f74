#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Expand base + series into the git work tree build/linux: one commit
# per patch (git am keeps authorship and dates), on branch "series",
# with the cover letter kept as the branch description (which
# git format-patch --cover-from-description turns back into
# 0000-cover-letter.patch).
#
# A branch "series" that holds commits not in the patch files is kept
# as series-old-<time>, never thrown away.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/base.sh"
cover=$PATCHES/0000-cover-letter.patch
[ -f "$cover" ] || die "missing $cover (log: none)"

if git -C "$SRC" rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null; then
	if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
		die "build/linux has uncommitted changes; commit them and run 'make export', or discard them (log: none)"
	fi
	# Nothing to do when the branch already exports to patches/: a
	# fresh checkout would only touch every patched file and make the
	# next build recompile them.
	if [ "$(git -C "$SRC" symbolic-ref -q --short HEAD)" = "$SERIES_BRANCH" ] &&
	   "$TOP/scripts/export.sh" --check >/dev/null 2>&1; then
		echo "==> build/linux: branch $SERIES_BRANCH already matches patches/ ($(git -C "$SRC" rev-list --count "$BASE_TAG..HEAD") patches)"
		exit 0
	fi
	# Keep the old branch if it differs from what the patches give.
	old=$(git -C "$SRC" rev-parse "$SERIES_BRANCH")
	keep=series-old-$(date +%Y%m%d-%H%M%S)
	sgit branch -f "$keep" "$old"
fi

apply() {
	sgit checkout -q --detach "$BASE_TAG"
	sgit branch -f "$SERIES_BRANCH" "$BASE_TAG"
	sgit checkout -q "$SERIES_BRANCH"
	# The description is the cover letter's subject and body, up to the
	# shortlog that format-patch generates.
	{
		patch_subject "$cover" | sed 's/^\[[^]]*\] //'
		echo
		awk 'body && /^[^ ].* \([0-9]+\):$/ { exit }
		     body { print }
		     /^$/ { body = 1 }' "$cover"
	} | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$B/cover-description"
	sgit config "branch.$SERIES_BRANCH.description" "$(cat "$B/cover-description")"
	# amend and rebase keep the notes (checkpatch justifications)
	sgit config notes.rewriteRef refs/notes/commits
	for p in $(series_list); do
		[ -f "$PATCHES/$p" ] || { echo "missing patch $p"; return 1; }
		echo "applying $p"
		sgit am -q --keep-cr --committer-date-is-author-date \
			"$PATCHES/$p" || { sgit am --abort; echo "patch $p does not apply"; return 1; }
		notes=$(patch_notes "$PATCHES/$p")
		[ -z "$notes" ] || sgit notes add -f -m "$notes" HEAD
	done
}
step "apply $(series_list | wc -l) patches onto $BASE_TAG" expand apply

if [ -n "${keep:-}" ]; then
	if [ "$(git -C "$SRC" rev-parse "$keep^{tree}")" = "$(git -C "$SRC" rev-parse HEAD^{tree})" ] &&
	   [ "$(git -C "$SRC" rev-list --count "$BASE_TAG..$keep")" = "$(git -C "$SRC" rev-list --count "$BASE_TAG..HEAD")" ]; then
		sgit branch -D -q "$keep"
	else
		echo "==> previous work kept as branch $keep"
	fi
fi
echo "==> build/linux: branch $SERIES_BRANCH, $(git -C "$SRC" rev-list --count "$BASE_TAG..HEAD") patches on $BASE_TAG"
