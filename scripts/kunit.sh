#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the x86_64 test kernel with kunit.py and run the series' KUnit
# suites in QEMU (software emulation).  The kernel is configured from
# the .kunitconfig files of the series (next to the tests) plus the
# harness fragments config/boot.config and config/debug.config, so the
# same build directory also gives the kernel the selftest boot uses.
# Any failed test, missing suite or console splat fails the run.
. "$(dirname "$0")/lib.sh"

SUITES=${KUNIT_SUITES:-vfio_type1 test-iommu}
o=$TEST_O
log=$LOGS/kunit.log

run() {
	cd "$SRC" &&
	./tools/testing/kunit/kunit.py run --arch=x86_64 --build_dir="$o" \
		$(for k in $(test_frags); do echo "--kunitconfig=$k"; done) \
		--make_options="CC=ccache gcc" --make_options="HOSTCC=ccache gcc" \
		--jobs="$JOBS" --timeout=300 --raw_output=all \
		--kernel_args=panic_on_warn=1 --kernel_args=oops=panic --kernel_args=panic=-1
}
step "kunit.py: build the test kernel and run KUnit" kunit run

parse() {
	"$SRC/tools/testing/kunit/kunit.py" parse "$log"
}
step "kunit.py: parse results" kunit-parse parse
for s in $SUITES; do
	grep -Eq "^[[:space:]]*ok [0-9]+ $s\$" "$log" ||
		die "KUnit suite $s did not run or did not pass (log: $log)"
done
"$TOP/scripts/console-badness.sh" "$log" >"$LOGS/kunit-badness.log" ||
	die "KUnit console has kernel warnings (log: $LOGS/kunit-badness.log)"
sed -n 's/.*\(Testing complete\.\)/KUnit: \1/p' "$LOGS/kunit-parse.log"
for s in $SUITES; do
	n=$(sed -n "/^[[:space:]]*# Subtest: $s\$/,/^[[:space:]]*ok [0-9]* $s\$/p" "$log" |
		grep -Ec '^[[:space:]]+ok [0-9]+ ')
	echo "KUnit: suite $s passed ($n cases)"
done
