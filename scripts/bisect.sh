#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every prefix of the series builds: check out each commit of the
# expanded tree in turn and build the x86_64 test kernel (vmlinux) and
# the vfio selftests incrementally in build/kernel-test.  ccache and
# kbuild's dependency tracking keep each step to what the patch touched.
# Ends with the series head checked out again.
. "$(dirname "$0")/lib.sh"

o=$TEST_O
head=$(git -C "$SRC" rev-parse "$SERIES_BRANCH")
[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes (log: none)"

restore() { sgit checkout -q "$SERIES_BRANCH"; }
trap restore EXIT

i=0
for c in $(git -C "$SRC" rev-list --reverse "$BASE_TAG..$head"); do
	i=$((i + 1))
	subj=$(git -C "$SRC" log -1 --format=%s "$c")
	build() {
		sgit checkout -q --detach "$c" &&
		test_config &&
		kmake O="$o" ARCH=x86_64 vmlinux &&
		if [ -f "$SRC/tools/testing/selftests/vfio/Makefile" ]; then
			build_selftests
		fi
	}
	step "build prefix $i: $subj" "bisect-$i" build
done
