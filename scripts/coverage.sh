#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Line and function coverage of the C files the series changes, from one
# boot that runs the series' KUnit suites (built in, at boot) and then
# every vfio kselftest, so both count together.
#
# The kernel is the test kernel's configuration plus config/coverage.config
# (gcov, no KASAN/kmemleak/lockdep), built in build/kernel-cov with only
# the objects below instrumented.  The guest's /init sends the gcov
# counters back on its third serial port; gcc's own gcov then annotates
# each file.  The report, build/coverage/summary.txt, gives per file the
# lines executed, and per function the series adds or changes (a function
# holding a line the series added) its calls and how many of its added
# lines ran.  Annotated sources are kept next to it (*.gcov), and a
# passing run records the summary in bench/results/coverage.txt.
#
# Fails when vfio_iommu_type1.c runs less than COVERAGE_MIN percent of its
# lines (default 90), or when a function the series touches there is
# never called (module exit functions aside: the kernel has them built
# in).
. "$(dirname "$0")/lib.sh"

need gcov base64 gzip tar
o=$B/kernel-cov
cov=$B/coverage
MIN=${COVERAGE_MIN:-90}
GATED=drivers/vfio/vfio_iommu_type1.c
# The objects to instrument, by kbuild stem, and the files to report.
# "iommu" covers both drivers/iommu/iommu.c and drivers/iommu/intel/iommu.c.
STEMS="vfio_iommu_type1 container test-iommu iommu"
FILES="drivers/vfio/vfio_iommu_type1.c drivers/vfio/container.c
drivers/iommu/test-iommu.c drivers/iommu/iommu.c drivers/iommu/intel/iommu.c"

cov_config() {
	mkdir -p "$o"
	if [ ! -f "$o/.config" ] ||
	   ! check_config "$o" $(test_frags) "$TOP/config/coverage.config" >/dev/null 2>&1; then
		# Later assignments win, so coverage.config overrides debug.config.
		cat $(test_frags) "$TOP/config/coverage.config" >"$o/.config"
		printf 'CONFIG_SERIAL_8250=y\nCONFIG_SERIAL_8250_CONSOLE=y\n' >>"$o/.config"
	fi
	kmake O="$o" ARCH=x86_64 olddefconfig &&
	check_config "$o" "$TOP/config/coverage.config"
}

cov_build() {
	kmake O="$o" ARCH=x86_64 $(for s in $STEMS; do echo "GCOV_PROFILE_$s.o=y"; done) bzImage
}

step "configure the coverage kernel" cov-config cov_config
step "build the coverage kernel (bzImage, gcov)" cov-build cov_build
# The kselftests are the test kernel's (same uAPI headers).
step "build the vfio kselftests (static)" build-selftests build_selftests
tests=$(ls "$TEST_O"/kselftest/vfio/* 2>/dev/null | while read -r f; do
	[ -f "$f" ] && [ -x "$f" ] && echo "$f"; done)
[ -n "$tests" ] || die "no vfio kselftest binaries (log: $LOGS/build-selftests.log)"

BOOT_TIMEOUT=${BOOT_TIMEOUT:-600} QEMU_APPEND=kunit.enable=1 \
	"$TOP/scripts/boot.sh" "$o/arch/x86/boot/bzImage" "$B/boot-cov" $tests ||
	die "the coverage boot failed (logs: $B/boot-cov)"
for s in vfio_type1 test-iommu; do
	tr -d '\r' <"$B/boot-cov/console.log" |
		grep -Eq "^(\[[ 0-9.]*\] )?[[:space:]]*ok [0-9]+ $s\$" ||
		die "KUnit suite $s did not pass in the coverage boot (log: $B/boot-cov/console.log)"
done

unpack() {
	rm -rf "$cov"
	mkdir -p "$cov/gcda"
	tr -d '\r' <"$B/boot-cov/data" |
		sed -n '/^GCOV-BEGIN /,/^GCOV-END$/p' | sed '1d;$d' |
		base64 -d | gzip -dc | tar -C "$cov/gcda" -xf -
	# debugfs names each file by its object's absolute path.
	find "$cov/gcda" -name '*.gcda' | while read -r f; do
		rel=${f#"$cov/gcda"}
		rel=${rel#"$o"/}
		rel=${rel#.}
		rel=${rel#/}
		case $rel in
		drivers/*) cp "$f" "$o/$rel" ;;
		*) cp "$f" "$o/${f##*"$o"/}" ;;
		esac
	done
}
step "unpack the gcov counters" cov-unpack unpack

# annotate FILE: FILE.gcov in $cov, from gcov -b (function lines on).
annotate() {
	_f=$1
	_obj=$o/${_f%.c}.o
	[ -f "${_obj%.o}.gcda" ] || { echo "no counters for $_f"; return 1; }
	(cd "$cov" && gcov -b -o "$(dirname "$_obj")" "$SRC/$_f" >"$cov/$(basename "$_f").log") &&
	mv "$cov/$(basename "$_f").gcov" "$cov/$(echo "$_f" | tr / _).gcov"
}
annotate_all() {
	for f in $FILES; do
		annotate "$f"
	done
}
step "annotate the sources with gcov" cov-gcov annotate_all

# added FILE: the line numbers (new side) the series adds to FILE.
added() {
	git -C "$SRC" diff -U0 "$BASE_TAG" HEAD -- "$1" |
	awk '/^@@ / {
		split($3, a, ","); s = substr(a[1], 2); n = (a[2] == "" ? 1 : a[2])
		for (i = 0; i < n; i++) print s + i
	}'
}

# report FILE: the file's total, and one row per function holding a line
# the series added: calls, added lines run / added executable lines.
report() {
	_f=$1 _g=$cov/$(echo "$1" | tr / _).gcov
	added "$_f" >"$cov/added.tmp"
	awk -v file="$_f" '
		FNR == NR { add[$1] = 1; next }
		/^function / { fn = $2; calls[fn] = $4; order[++nf] = fn; def = 1; next }
		/^(branch|call|unconditional) / { next }
		{
			split($0, c, ":")
			# A module exit function never runs in a built-in kernel.
			if (def && index($0, "__exit"))
				exitfn[fn] = 1
			def = 0
			cnt = c[1]; gsub(/[ *]/, "", cnt)
			ln = c[2] + 0
			if (cnt == "-" || ln == 0)
				next
			exe++
			run = (cnt != "#####" && cnt != "=====")
			if (run)
				hit++
			if (fn != "" && (ln in add)) {
				touched[fn] = 1
				aexe[fn]++
				if (run)
					ahit[fn]++
			}
		}
		END {
			printf "%s: %.1f%% of %d lines\n", file, exe ? 100 * hit / exe : 0, exe
			for (i = 1; i <= nf; i++) {
				fn = order[i]
				if (!(fn in touched))
					continue
				note = ""
				if (calls[fn] == 0)
					note = (fn in exitfn) ? "  (module exit: built in)" : "  NEVER CALLED"
				printf "  %-44s calls %8s  added lines run %4d/%-4d%s\n", fn, calls[fn],
				       ahit[fn], aexe[fn], note
			}
		}' "$cov/added.tmp" "$_g"
}

summary=$cov/summary.txt
: >"$summary"
for f in $FILES; do
	report "$f" >>"$summary"
done
rm -f "$cov/added.tmp"
cat "$summary"

pct=$(sed -n "s|^$GATED: \([0-9.]*\)% .*|\1|p" "$summary")
[ -n "$pct" ] || die "no coverage figure for $GATED (log: $summary)"
awk -v p="$pct" -v m="$MIN" 'BEGIN { exit !(p >= m) }' ||
	die "$GATED: $pct% of lines run, below $MIN% (log: $summary)"
never=$(sed -n "\|^$GATED:|,\|^[^ ]|p" "$summary" | grep -c 'NEVER CALLED' || true)
[ "$never" = 0 ] ||
	die "$GATED: $never function(s) the series touches never called (log: $summary)"
{
	echo "# make coverage: gcov of one QEMU boot (KUnit suites at boot, then"
	echo "# every vfio kselftest) of the series at $(sgit log -1 --format=%s HEAD | cut -c1-60)"
	echo "# ($(series_list | wc -l) patches).  Lines: executable lines run; per function"
	echo "# holding a line the series adds: calls, added lines run / added lines."
	cat "$summary"
} >"$TOP/bench/results/coverage.txt"
echo "PASS: $GATED $pct% of lines (minimum $MIN%); every function the series touches there ran; report: $summary (recorded in bench/results/coverage.txt)"
