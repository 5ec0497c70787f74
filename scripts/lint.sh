#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Hygiene of the patch files themselves (checkpatch.sh looks at the
# code): every file in patches/ is in the series list and every listed
# file exists; each patch has a kernel-style subject, a body saying what
# and why, the project's Signed-off-by; the cover letter names the base
# and carries a changelog.
. "$(dirname "$0")/lib.sh"

sob="Signed-off-by: $PROJECT_NAME <$PROJECT_EMAIL>"
errors=0
err() {
	echo "lint: $*"
	errors=$((errors + 1))
}

# The message speaks the kernel's language: no names of this project's
# tooling, and no placeholder left for numbers.
project_words() {
	awk '/^---$/ { exit } { print }' "$1" |
		grep -Ein '@@|\<seeds?\>|make (bench|test|boot)|bench/|harness' |
		grep -v 'kselftest.harness' |
		sed "s|^|lint: $1: message line |;s|\$| (say what was run instead)|" |
		grep . && errors=$((errors + 1))
	return 0
}

cd "$PATCHES"
listed=$(series_list)
for p in $listed; do
	[ -f "$p" ] || err "series lists $p, which does not exist"
done
for f in *.patch; do
	[ "$f" = 0000-cover-letter.patch ] && continue
	echo "$listed" | grep -qx "$f" || err "$f is not in patches/series (orphan)"
done
[ "$(echo "$listed" | sort | uniq -d)" = "" ] || err "patches/series lists a patch twice"

for p in $listed; do
	[ -f "$p" ] || continue
	subj=$(patch_subject "$p")
	# "[PATCH n/m] subsys: component: Summary", lower-case prefixes
	echo "$subj" | grep -Eq '^\[PATCH( v[0-9]+)? [0-9]+/[0-9]+\] [a-z0-9][a-z0-9_./-]*(: [a-zA-Z0-9][a-zA-Z0-9_./-]*)*: [A-Za-z].{8,}[^.]$' ||
		err "$p: subject '$subj' is not 'subsys: component: Summary' style"
	[ ${#subj} -le 90 ] || err "$p: subject longer than 75 characters after the prefix"
	grep -q "^From: $PROJECT_NAME <$PROJECT_EMAIL>$" "$p" ||
		err "$p: author is not the project identity"
	grep -qx "$sob" "$p" || err "$p: missing '$sob'"
	# The body: from the blank line after the headers to the '---'
	# line, without trailers.  Ask for a real explanation.
	body=$(awk 'h && /^---$/ { exit } h { print } /^$/ && !h { h = 1 }' "$p" |
		grep -Ev '^[A-Za-z-]+: .*<.*>$|^(Link|Fixes|Closes): ' | grep -c '[a-z]')
	[ "$body" -ge 4 ] || err "$p: the commit message needs a body saying what and why ($body lines)"
	project_words "$p"
	if grep -q '^+.*\(XXX\|TODO\)' "$p"; then
		err "$p: adds a TODO/XXX"
	fi
done

cover=0000-cover-letter.patch
if [ -f $cover ]; then
	grep -q "$BASE_PACKAGE_VERSION" $cover || err "$cover does not name the base version $BASE_PACKAGE_VERSION"
	grep -q "$BASE_TREE_ID" $cover || err "$cover does not name the base tree id $BASE_TREE_ID"
	grep -q "$BASE_TARBALL_SHA256" $cover || err "$cover does not name the tarball sha256"
	grep -qi '^changes\|^changelog' $cover || err "$cover has no changelog section"
	grep -q "^base-commit: " $cover || err "$cover has no base-commit line"
	project_words $cover
else
	err "missing $cover"
fi

[ $errors = 0 ] || die "$errors lint error(s) in patches/"
echo "lint: $(echo "$listed" | wc -l) patches and the cover letter are clean"
