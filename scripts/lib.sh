# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the series scripts.  Sourced, never run.
#
# Every long step goes through step(): it prints what it does, sends the
# output to a log under $LOGS, prints the time it took, and on failure
# stops the whole command with one line naming the step and its log.

set -eu

# Debian's tools first: the kernel's Python helpers (spdxcheck.py) need
# Debian's python3-ply and python3-git, which a pyenv python lacks.
PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${BUILD_DIR:-$TOP/build}
LOGS=$B/logs
SRC=$B/linux			# the expanded tree (git work tree)
mkdir -p "$LOGS"

# BASE_RECORD and PATCHES_DIR point elsewhere only for the harness's own
# tests (scripts/harness-test.sh).
RECORD=${BASE_RECORD:-$TOP/base/record}
PATCHES=${PATCHES_DIR:-$TOP/patches}
. "$RECORD"

# Identity used for everything the tooling writes itself.
PROJECT_NAME="vfio-iopf series"
PROJECT_EMAIL="vfio-iopf@example.invalid"
BASE_TAG=base-$BASE_PACKAGE_VERSION_TAG
SERIES_BRANCH=series

JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=$B
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=vfio-iopf KBUILD_BUILD_HOST=ci

die() {
	echo "FAILED: $*" >&2
	exit 1
}

now() { date +%s; }

# step NAME LOGNAME CMD...: run CMD with output in $LOGS/LOGNAME.log.
step() {
	_name=$1 _tag=$2 _log=$LOGS/$2.log
	shift 2
	printf '==> %s ... ' "$_name"
	_t0=$(now)
	# Not in a conditional context, so that errexit stays on inside CMD
	# (a shell function) and its first failing command fails the step.
	set +e
	(set -e; "$@") >"$_log" 2>&1
	_rc=$?
	set -e
	if [ $_rc = 0 ]; then
		printf 'ok (%ss)\n' "$(($(now) - _t0))"
		echo "$_tag $(($(now) - _t0))" >>"$LOGS/times"
	else
		printf 'FAILED (%ss)\n' "$(($(now) - _t0))"
		tail -n 20 "$_log" | sed 's/^/    | /' >&2
		die "$_name (exit $_rc); log: $_log"
	fi
}

need() {
	for _t; do
		command -v "$_t" >/dev/null 2>&1 ||
			die "missing tool '$_t'; run scripts/deps.sh (log: none)"
	done
}

# git in the expanded tree, with a fixed identity.
sgit() {
	GIT_AUTHOR_NAME=$PROJECT_NAME GIT_AUTHOR_EMAIL=$PROJECT_EMAIL \
	GIT_COMMITTER_NAME=$PROJECT_NAME GIT_COMMITTER_EMAIL=$PROJECT_EMAIL \
		git -C "$SRC" -c core.autocrlf=false -c advice.detachedHead=false -c core.abbrev=12 \
		-c gc.auto=0 "$@"
}

# The patches, in order, as listed in patches/series.
series_list() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHES/series"
}

kmake() {
	make -s -C "$SRC" CC="ccache ${CROSS_COMPILE:-}gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "$@"
}

# check_config O FRAGMENT...: every option set in the fragments made it
# into O/.config (Kconfig silently drops what a dependency forbids).
check_config() {
	_o=$1
	shift
	for _f; do
		sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)/\1/p' \
		       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1=n/p' "$_f" |
		while IFS= read -r _l; do
			_opt=${_l%%=*}
			case $_l in
			*=n) ! grep -q "^$_opt=" "$_o/.config" ;;
			*) grep -qx "$_l" "$_o/.config" ;;
			esac || { echo "config: $_l from $(basename "$_f") is not in $_o/.config"; return 1; }
		done || return 1
	done
}

# make_config O ARCH BASECONFIG FRAGMENT...: BASECONFIG (a defconfig
# target) plus the fragments, merged with the kernel's merge_config.sh.
make_config() {
	_o=$1 _arch=$2 _def=$3
	shift 3
	mkdir -p "$_o"
	kmake O="$_o" ARCH="$_arch" "$_def" &&
	(cd "$SRC" && ARCH=$_arch CROSS_COMPILE=${CROSS_COMPILE:-} \
		./scripts/kconfig/merge_config.sh -m -O "$_o" "$_o/.config" "$@") &&
	kmake O="$_o" ARCH="$_arch" olddefconfig &&
	check_config "$_o" "$@"
}

# The .kunitconfig files the checked-out series adds or changes, next to
# the tests they enable.
series_kunitconfigs() {
	git -C "$SRC" diff --name-only "$BASE_TAG" HEAD -- '*.kunitconfig' |
		sed "s|^|$SRC/|"
}

# The x86_64 test kernel: the series' .kunitconfig files, the vfio
# kselftests' config (where the checked-out series has one) plus the harness
# fragments, written the way kunit.py writes its .config, so kunit.py and
# the scripts share one build directory and neither forces the other to
# reconfigure.
TEST_O=$B/kernel-test
test_frags() {
	_ks=$SRC/tools/testing/selftests/vfio/config
	[ -f "$_ks" ] || _ks=
	echo $(series_kunitconfigs) $_ks "$TOP/config/boot.config" "$TOP/config/debug.config"
}
test_config() {
	_frags=$(test_frags)
	mkdir -p "$TEST_O"
	if [ ! -f "$TEST_O/.config" ] ||
	   ! check_config "$TEST_O" $_frags >/dev/null 2>&1; then
		cat $_frags >"$TEST_O/.config"
		# what kunit.py's qemu_configs/x86_64.py adds
		printf 'CONFIG_SERIAL_8250=y\nCONFIG_SERIAL_8250_CONSOLE=y\n' \
			>>"$TEST_O/.config"
	fi
	kmake O="$TEST_O" ARCH=x86_64 olddefconfig &&
	check_config "$TEST_O" $_frags
}

# patch_notes FILE: the git notes format-patch --notes put below "---"
# (one paragraph, indented by four spaces), without the indent.
patch_notes() {
	awk '/^---$/ { d = 1; next }
	     d && /^Notes:$/ { n = 1; next }
	     n && /^$/ { exit }
	     n { sub(/^    /, ""); print }
	     /^diff --git / { exit }' "$1"
}

# patch_subject FILE: the Subject header, unfolded.
patch_subject() {
	awk '/^$/ { exit }
	     s && /^[ \t]/ { sub(/^[ \t]+/, " "); subj = subj $0; next }
	     s { exit }
	     /^Subject: / { s = 1; subj = substr($0, 10) }
	     END { print subj }' "$1"
}

# build_selftests: the vfio kselftests, static, into $TEST_O/kselftest/vfio
# (the test kernel's exported headers first).
build_selftests() {
	kmake O="$TEST_O" ARCH=x86_64 headers &&
	mkdir -p "$TEST_O/kselftest/vfio" &&
	make -s -C "$SRC/tools/testing/selftests/vfio" \
		OUTPUT="$TEST_O/kselftest/vfio" \
		KHDR_INCLUDES="-isystem $TEST_O/usr/include" \
		CC="ccache gcc" LDFLAGS=-static
}

# bench_worktrees DIR...: a detached worktree of the expanded tree at each
# DIR that has none yet (the benchmarks build their points there).
bench_worktrees() {
	for _w in "$@"; do
		[ -d "$_w" ] || git -C "$SRC" worktree add -f --detach "$_w" HEAD || return
	done
}

# bench_raw TITLE POINTS RAW: a benchmark's raw results, with a header
# naming each point ("label commit" lines of POINTS) by its git tree id
# (which stays when only commit messages change) and subject.
bench_raw() {
	echo "# $1"
	echo "# label, git tree id of the point, subject"
	while read -r _l _c; do
		echo "# $_l tree $(git -C "$SRC" log -1 --format='%T %s' "$_c")"
	done <"$2"
	cat "$3"
}
