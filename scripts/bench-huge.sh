#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Measure VFIO_IOMMU_MAP_DMA and UNMAP_DMA of huge-page-backed memory,
# series against base, in one run.
#
# Builds the unpatched base ("vanilla"), the series up to the test IOMMU's
# huge page counters ("before": the type1 map and unmap paths as the
# earlier patches left them) and each later commit that changes
# drivers/vfio/vfio_iommu_type1.c, from config/boot.config, bench.config,
# bench-huge.config and (where the option exists) bench-tiommu.config;
# the base in a worktree and output directory of its own, so that it
# stays built.  Each boots under QEMU with -icount shift=0 (guest time and
# the TSC advance one tick per guest instruction), with one 1 GiB hugetlb
# page reserved at boot, and runs bench/huge_bench.c: MAP_DMA and
# UNMAP_DMA of BENCH_MB (default 1024) MiB of THP, 2 MiB and 1 GiB
# hugetlbfs pages and 4 KiB pages (scattered and in order), on a test
# IOMMU device and through vfio-pci on edu behind QEMU's intel-iommu,
# whose IOTLB invalidation descriptors QEMU's vtd_inv_desc_iotlb* trace
# events count.  Raw lines go to bench/results/huge-raw.txt, a table to
# huge-table.md.
#
# Environment: BENCH_MB, BENCH_POINTS (labels to run, default all).
. "$(dirname "$0")/lib.sh"

R=$TOP/bench/results
WB=$B/linux-huge-base
W=$B/linux-huge
OB=$B/kernel-huge-base
O=$B/kernel-huge
MB=${BENCH_MB:-1024}

"$TOP/scripts/expand.sh" || exit 1

points=$B/huge-points
before=$(git -C "$SRC" log --format=%H -F \
	--grep="iommu: Report the test IOMMU's mapped 2 MiB and 1 GiB pages" \
	"$BASE_TAG..HEAD" | tail -n 1)
[ -n "$before" ] || die "no test IOMMU huge page counters in the series (log: none)"
{
	echo "vanilla $(git -C "$SRC" rev-parse "$BASE_TAG")"
	echo "before $before"
	for c in $(git -C "$SRC" rev-list --reverse "$before..HEAD" -- \
		   drivers/vfio/vfio_iommu_type1.c); do
		echo "p$(git -C "$SRC" rev-list --count "$BASE_TAG..$c") $c"
	done
} >"$points"

step "bench-huge: worktrees" bench-huge-worktree bench_worktrees "$WB" "$W"

# build LABEL COMMIT: the kernel and the program of one point, the program
# against the point's own test IOMMU header (the base has none: it runs
# the edu part only, so the head's will do).
build() {
	if [ "$1" = vanilla ]; then _w=$WB _o=$OB; else _w=$W _o=$O; fi
	_frags="$TOP/config/boot.config $TOP/config/bench.config $TOP/config/bench-huge.config"
	git -C "$_w" checkout -q --detach "$2" &&
	if grep -q '^config IOMMU_TEST_DRIVER$' "$_w/drivers/iommu/Kconfig"; then
		_frags="$_frags $TOP/config/bench-tiommu.config"
	fi &&
	mkdir -p "$_o" &&
	cat $_frags >"$_o/.config" &&
	make -s -C "$_w" O="$_o" ARCH=x86_64 olddefconfig &&
	check_config "$_o" $_frags &&
	make -s -C "$_w" O="$_o" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" bzImage &&
	cp "$_o/arch/x86/boot/bzImage" "$_o/bzImage-$1" &&
	_inc=$_w/drivers/iommu &&
	if [ ! -f "$_inc/test-iommu.h" ]; then _inc=$SRC/drivers/iommu; fi &&
	gcc -static -O2 -Wall -Werror -I "$_inc" \
		-o "$_o/huge_bench-$1" "$TOP/bench/huge_bench.c"
}

# "seg=K vtd_iotlb_inv=N" for each edu MAP_DMA or UNMAP_DMA: the
# vtd_inv_desc_iotlb* events between the (2K-1)th and 2Kth config reads
# of edu's byte 0x3e.
inv_counts() {
	awk '/pci_cfg_read/ && /edu/ && /@0x3e / { m++; next }
	     m % 2 == 1 && /vtd_inv_desc_iotlb_/ { n[(m + 1) / 2]++ }
	     END { for (k = 1; k <= m / 2; k++) printf "%d %d\n", k, n[k] }' "$1"
}

raw=$O/huge-raw.txt
mkdir -p "$O"
: >"$raw"
while read -r label commit; do
	case " ${BENCH_POINTS:-$label} " in *" $label "*) ;; *) continue ;; esac
	step "bench-huge: build $label ($(git -C "$SRC" log -1 --format=%s "$commit" | cut -c1-50))" \
		"bench-huge-build-$label" build "$label" "$commit"
	if [ "$label" = vanilla ]; then _o=$OB; else _o=$O; fi
	printf 'vtd_inv_desc*\npci_cfg_read\n' >"$_o/trace-events"
	run() {
		env BOOT_MEM=3584M BOOT_TIMEOUT=2400 \
			QEMU_OPTS="-icount shift=0 -trace events=$_o/trace-events -D $_o/boot-$label/qemu-trace.log" \
			QEMU_APPEND="transparent_hugepage=madvise hugepagesz=1G hugepages=1 BENCH_MB=$MB" \
			"$TOP/scripts/boot.sh" "$_o/bzImage-$label" "$_o/boot-$label" \
			"$_o/huge_bench-$label"
	}
	step "bench-huge: run $label" "bench-huge-run-$label" run
	grep -q '^BENCH done' "$_o/boot-$label/result.txt" ||
		die "bench/huge_bench.c did not finish (log: $_o/boot-$label/result.txt)"
	inv_counts "$_o/boot-$label/qemu-trace.log" >"$_o/inv-$label"
	grep '^BENCH ' "$_o/boot-$label/result.txt" | grep -v '^BENCH done' |
		awk -v l="$label" -v inv="$_o/inv-$label" '
		BEGIN { while ((getline line < inv) > 0) { split(line, a, " "); c[a[1]] = a[2] } }
		{
			sub(/^BENCH /, l " ")
			if (match($0, / seg=[0-9]+/)) {
				k = substr($0, RSTART + 5, RLENGTH - 5)
				$0 = $0 " vtd_iotlb_inv=" (k in c ? c[k] : 0)
			}
			print
		}' >>"$raw"
done <"$points"

mkdir -p "$R"
bench_raw "scripts/bench-huge.sh, $(date -u +%Y-%m-%d), BENCH_MB=$MB, QEMU -icount shift=0, TSC ticks = guest instructions" "$points" "$raw" >"$R/huge-raw.txt"
"$TOP/scripts/bench-huge-table.sh" "$R/huge-raw.txt" >"$R/huge-table.md"
cat "$R/huge-table.md"
