#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Import the recorded Debian base as a deterministic git commit in
# build/linux and tag it.  Refuses to go on if the installed package is
# not the recorded one: the series is never applied to another base
# silently.
#
#   scripts/base.sh            import (or verify an existing import)
#   scripts/base.sh --record   re-base: write the installed package's
#                              version, sha256 and tree id to base/record
. "$(dirname "$0")/lib.sh"

need git tar xz sha256sum dpkg-query

installed=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null) ||
	die "$BASE_PACKAGE is not installed; run scripts/deps.sh (log: none)"

record=0
[ "${1:-}" = --record ] && record=1

if [ $record = 0 ] && [ "$installed" != "$BASE_PACKAGE_VERSION" ]; then
	die "installed $BASE_PACKAGE is $installed but the series is based on $BASE_PACKAGE_VERSION; install the recorded version (apt-get install $BASE_PACKAGE=$BASE_PACKAGE_VERSION) or re-base: scripts/base.sh --record, make expand, fix the patches, make export, and note the move in the cover letter (log: none)"
fi

sum=$(sha256sum "$BASE_TARBALL" | cut -d' ' -f1)
if [ $record = 0 ] && [ "$sum" != "$BASE_TARBALL_SHA256" ]; then
	die "$BASE_TARBALL has sha256 $sum, base/record says $BASE_TARBALL_SHA256 (same package version $installed, different content); re-base with scripts/base.sh --record (log: none)"
fi

# An existing import is reused when its tree is the recorded one.
if [ $record = 0 ] && [ -d "$SRC/.git" ] &&
   [ "$(git -C "$SRC" rev-parse -q --verify "refs/tags/$BASE_TAG^{tree}" 2>/dev/null)" = "$BASE_TREE_ID" ]; then
	echo "==> base $BASE_PACKAGE_VERSION already imported ($BASE_TAG, tree $BASE_TREE_ID)"
	exit 0
fi

import() {
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -C "$SRC.tmp" -xf "$BASE_TARBALL"
	top=$(ls "$SRC.tmp")
	mv "$SRC.tmp/$top" "$SRC"
	rmdir "$SRC.tmp"
	git -C "$SRC" init -q -b import
	# Debian's tarball ignores everything at the top level (/*), so
	# the import must force-add.
	git -C "$SRC" add -A -f
	GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
	sgit commit -q -m "Linux $(sed -n 's/^VERSION = //p' "$SRC/Makefile").$(sed -n 's/^PATCHLEVEL = //p' "$SRC/Makefile").$(sed -n 's/^SUBLEVEL = //p' "$SRC/Makefile") as shipped by Debian $BASE_PACKAGE $installed" \
		-m "Imported from $BASE_TARBALL (sha256 $sum) by scripts/base.sh."
	sgit tag -f "base-$(echo "$installed" | tr '~:' '__')"
}
step "unpack and import $BASE_PACKAGE $installed" base-import import

tree=$(git -C "$SRC" rev-parse HEAD^{tree})
if [ $record = 1 ]; then
	tag=$(echo "$installed" | tr '~:' '__')
	sed -i -e "s|^BASE_PACKAGE_VERSION=.*|BASE_PACKAGE_VERSION=$installed|" \
	       -e "s|^BASE_PACKAGE_VERSION_TAG=.*|BASE_PACKAGE_VERSION_TAG=$tag|" \
	       -e "s|^BASE_TARBALL_SHA256=.*|BASE_TARBALL_SHA256=$sum|" \
	       -e "s|^BASE_TREE_ID=.*|BASE_TREE_ID=$tree|" "$RECORD"
	echo "==> base/record now names $installed, tree $tree"
	exit 0
fi
[ "$tree" = "$BASE_TREE_ID" ] ||
	die "import of $installed has tree $tree, base/record says $BASE_TREE_ID (log: $LOGS/base-import.log)"
echo "==> base $BASE_PACKAGE_VERSION imported as $BASE_TAG ($(git -C "$SRC" rev-parse --short HEAD), tree $tree)"
