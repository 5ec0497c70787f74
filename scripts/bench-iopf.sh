#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Measure faultable mappings (VFIO_DMA_MAP_FLAG_FAULTABLE) against pinned
# ones on the head of the series, in one run: builds the head with
# config/boot.config, bench-tiommu.config and bench-iopf.config (no
# debugging options, the function_graph tracer) in build/kernel-iopf,
# boots it under QEMU with
# -icount shift=0 (guest time and the TSC advance one tick per guest
# instruction) and runs bench/iopf_bench.c on a test IOMMU device.  Raw
# lines go to bench/results/iopf-raw.txt, a table to
# bench/results/iopf-table.md.
#
# Faultable mappings exist only with the series, so the comparison is
# within the head: a faultable mapping against a pinned one of the same
# memory on the same device.  The pinned MAP_DMA path is the base's (the
# series changes type1's unmap, not its pinning; scripts/bench.sh measures
# the unmaps against the base).
#
# Environment: BENCH_MB (the size of the map and density workloads,
# default 1024).
. "$(dirname "$0")/lib.sh"

O=$B/kernel-iopf
R=$TOP/bench/results
MB=${BENCH_MB:-1024}
frags="$TOP/config/boot.config $TOP/config/bench-tiommu.config $TOP/config/bench-iopf.config"

"$TOP/scripts/expand.sh" || exit 1
# The tree measured, named before anything can move the branch.
head=$(git -C "$SRC" log -1 --format='%T %s')

build() {
	mkdir -p "$O"
	cat $frags >"$O/.config"
	kmake O="$O" ARCH=x86_64 olddefconfig
	check_config "$O" $frags
	kmake O="$O" ARCH=x86_64 bzImage
	kmake O="$O" ARCH=x86_64 headers_install INSTALL_HDR_PATH="$O/hdr"
	gcc -static -O2 -Wall -Werror -I "$SRC/drivers/iommu" \
		-isystem "$O/hdr/include" -o "$O/iopf_bench" \
		"$TOP/bench/iopf_bench.c"
}
step "bench-iopf: build the head ($(git -C "$SRC" log -1 --format=%s | cut -c1-50))" \
	bench-iopf-build build

run() {
	env BOOT_MEM=3G BOOT_TIMEOUT=3600 QEMU_OPTS="-icount shift=0" \
		QEMU_APPEND="transparent_hugepage=never BENCH_MB=$MB" \
		"$TOP/scripts/boot.sh" "$O/arch/x86/boot/bzImage" "$O/boot" \
		"$O/iopf_bench"
}
step "bench-iopf: run" bench-iopf-run run
grep -q '^BENCH done' "$O/boot/result.txt" ||
	die "bench/iopf_bench.c did not finish (log: $O/boot/result.txt)"

mkdir -p "$R"
{
	echo "# scripts/bench-iopf.sh, $(date -u +%Y-%m-%d), BENCH_MB=$MB, QEMU -icount shift=0, 4 KiB pages (transparent_hugepage=never)"
	echo "# head tree $head"
	grep '^BENCH ' "$O/boot/result.txt" | grep -v '^BENCH done'
} >"$R/iopf-raw.txt"

# The table, from the raw lines.
awk '
function val(k,   i, a) {
	for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] }
	return ""
}
/^#/ { next }
$2 == "map" {
	printf "MAP_DMA of %s MiB: pinned %s, faultable %s instructions (%sx fewer); UNMAP_DMA of it, untouched: pinned %s, faultable %s; pinned MAP_DMA per page: %s\n\n",
		val("size_mb"), val("pinned"), val("faultable"), val("ratio"),
		val("unmap_pinned"), val("unmap_faultable"), val("pinned_per_page")
}
$2 == "density" {
	if (!dh++) {
		print "| density | mapping | device touched | faults | VmRSS grew | VmLck grew | FOLL_PIN pins | UNMAP_DMA instructions |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|"
	}
	printf "| %s | %s MiB | %s MiB | %s | %s kB | %s kB | %s | %s |\n", val("mode"),
		val("size_mb"), val("touched_mb"), val("faults"), val("rss_kb"),
		val("locked_kb"), val("pins"), val("unmap")
}
$2 == "fault" {
	if (!fh++) {
		print ""
		print "| fault window (pages) | instructions per fault | per page of the window | the same DMA, mapped |"
		print "|---:|---:|---:|---:|"
	}
	printf "| %s | %s | %s | %s |\n", val("window"), val("fault"), val("per_page"), val("mapped_dma")
}
$2 == "stages" {
	print ""
	printf "Stages of one window-1 fault (function_graph, instructions per fault):"
	for (i = 3; i <= NF; i++) if ($i !~ /^(calls_|window|reps)/) printf " %s", $i
	print ""
}
$2 == "seed" {
	if (!sh++) {
		print ""
		print "| buffer | passes | window | pinned | faultable | slowdown | faults |"
		print "|---:|---:|---:|---:|---:|---:|---:|"
	}
	printf "| %s MiB | %s | %s | %s | %s | %s %% | %s |\n", val("buf_mb"), val("passes"),
		val("window"), val("pinned"), val("faultable"), val("slowdown_pct"), val("faults")
}' "$R/iopf-raw.txt" >"$R/iopf-table.md"
cat "$R/iopf-table.md"
