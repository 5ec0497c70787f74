#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Measure VFIO_IOMMU_UNMAP_DMA, series against base, in one run.
#
# Builds one kernel per point: "vanilla" (the unpatched base), "base"
# (the series up to the last patch before the type1 unmap changes: the
# unpatched type1 unmap path, plus the test IOMMU it is measured on) and
# each later "vfio/type1:" patch, all from the same configuration
# (config/boot.config, bench.config, and bench-tiommu.config where the
# option exists).  Each boots under QEMU with -icount shift=0, where guest
# time and the TSC advance one tick per guest instruction, and runs
# bench/unmap_bench.c: UNMAP_DMA of BENCH_MB (default 1024) MiB of
# scattered 4 KiB pages, of transparent huge pages, and of 8192 one-page
# mappings on a test IOMMU device, then of scattered pages through vfio-pci
# and QEMU's intel-iommu, whose IOTLB invalidation descriptors QEMU's
# vtd_inv_desc* trace events count.  Raw lines go to bench/results/raw.txt,
# the table of ratios to the first point with each workload (vanilla for
# intel-iommu, base for the test IOMMU) to bench/results/table.md.
#
# Environment: BENCH_MB, BENCH_POINTS (labels to run, default all).
. "$(dirname "$0")/lib.sh"

W=$B/linux-bench
O=$B/kernel-bench
R=$TOP/bench/results
MB=${BENCH_MB:-1024}

"$TOP/scripts/expand.sh" || exit 1

# The points: label commit.
points=$B/bench-points
first=$(git -C "$SRC" log --reverse --format=%H --grep='^vfio/type1: ' \
	"$BASE_TAG..HEAD" | sed -n 2p)
[ -n "$first" ] || die "no type1 unmap patch in the series (log: none)"
{
	echo "vanilla $(git -C "$SRC" rev-parse "$BASE_TAG")"
	echo "base $(git -C "$SRC" rev-parse "$first^")"
	for c in $(git -C "$SRC" rev-list --reverse "$first^..HEAD" -- drivers/vfio/vfio_iommu_type1.c); do
		echo "p$(git -C "$SRC" rev-list --count "$BASE_TAG..$c") $c"
	done
} >"$points"

step "bench: worktree $W" bench-worktree bench_worktrees "$W"

config() {
	frags="$TOP/config/boot.config $TOP/config/bench.config"
	grep -q '^config IOMMU_TEST_DRIVER$' "$W/drivers/iommu/Kconfig" &&
		frags="$frags $TOP/config/bench-tiommu.config"
	mkdir -p "$O"
	cat $frags >"$O/.config"
	make -s -C "$W" O="$O" ARCH=x86_64 olddefconfig &&
	check_config "$O" $frags
}

# The vtd_inv_desc* events between the two edu config reads of byte 0x3e
# (bench/unmap_bench.c's markers around the intel-iommu unmap).
inv_counts() {
	awk '/pci_cfg_read/ && /edu/ && /@0x3e / { m++; next }
	     m == 1 && match($0, /vtd_inv_desc[a-z_]*/) {
		ev = substr($0, RSTART, RLENGTH)
		if (ev ~ /^vtd_inv_desc_iotlb_/) iotlb++
		all++
	     }
	     END { printf " vtd_iotlb_inv=%d vtd_inv_events=%d markers=%d", iotlb, all, m }' "$1"
}

build() {
	git -C "$W" checkout -q --detach "$2" &&
	config &&
	make -s -C "$W" O="$O" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" bzImage &&
	cp "$O/arch/x86/boot/bzImage" "$O/bzImage-$1" &&
	prog "$1"
}

# The benchmark, built against the point's own test IOMMU header (its
# ioctls' sizes change along the series); the unpatched base has none, and
# runs the intel-iommu part only, so the head's will do.
prog() {
	_inc=$W/drivers/iommu
	[ -f "$_inc/test-iommu.h" ] || _inc=$SRC/drivers/iommu
	gcc -static -O2 -Wall -Werror -I "$_inc" \
		-o "$O/unmap_bench-$1" "$TOP/bench/unmap_bench.c"
}

raw=$O/raw.txt
: >"$raw"
while read -r label commit; do
	case " ${BENCH_POINTS:-$label} " in *" $label "*) ;; *) continue ;; esac
	step "bench: build $label ($(git -C "$SRC" log -1 --format=%s "$commit" | cut -c1-50))" \
		"bench-build-$label" build "$label" "$commit"
	printf 'vtd_inv_desc*\npci_cfg_read\n' >"$O/trace-events"
	run() {
		env BOOT_MEM=3G BOOT_TIMEOUT=1800 \
			QEMU_OPTS="-icount shift=0 -trace events=$O/trace-events -D $O/boot-$label/qemu-trace.log" \
			QEMU_APPEND="transparent_hugepage=madvise BENCH_MB=$MB" \
			"$TOP/scripts/boot.sh" "$O/bzImage-$label" "$O/boot-$label" \
			"$O/unmap_bench-$label"
	}
	step "bench: run $label" "bench-run-$label" run
	inv=$(inv_counts "$O/boot-$label/qemu-trace.log")
	grep '^BENCH ' "$O/boot-$label/result.txt" |
		sed -e "s/^BENCH /$label /" -e "/ edu-scattered /s/\$/$inv/" >>"$raw"
done <"$points"

mkdir -p "$R"
bench_raw "scripts/bench.sh, $(date -u +%Y-%m-%d), BENCH_MB=$MB, QEMU -icount shift=0" "$points" "$raw" >"$R/raw.txt"

# The table: each point's numbers, and the ratio to base.
awk '
function val(s, k,   i, a) {
	for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] }
	return ""
}
/^#/ { next }
{
	w = $2; l = $1
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	if (!(l in lseen)) { lseen[l] = 1; lorder[++nl] = l }
	for (k = 1; k <= 7; k++) { key = keys[k]; v[l, w, key] = val($0, key) }
	if (!((w, "first") in v)) v[w, "first"] = l
}
BEGIN { keys[1] = "instructions"; keys[2] = "iotlb_syncs"; keys[3] = "unmap_calls"; keys[4] = "lookups"; keys[5] = "allocations"; keys[6] = "regions"; keys[7] = "vtd_iotlb_inv" }
END {
	print "| workload | point | instructions | x first | iotlb_syncs | unmap_pages calls | look-ups | allocations |"
	print "|---|---|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nw; i++) {
		w = order[i]
		for (j = 1; j <= nl; j++) {
			l = lorder[j]
			if (v[l, w, "instructions"] == "") continue
			b = v[v[w, "first"], w, "instructions"]
			if (w ~ /^edu/) v[l, w, "iotlb_syncs"] = v[l, w, "vtd_iotlb_inv"] " vtd"
			for (k = 2; k <= 5; k++) if (v[l, w, keys[k]] == "") v[l, w, keys[k]] = "-"

			r = b ? sprintf("%.3f", v[l, w, "instructions"] / b) : "-"
			printf "| %s (%s regions) | %s | %s | %s | %s | %s | %s | %s |\n", w, v[l, w, "regions"], l,
				v[l, w, "instructions"], r, v[l, w, "iotlb_syncs"], v[l, w, "unmap_calls"],
				v[l, w, "lookups"], v[l, w, "allocations"]
		}
	}
}' "$R/raw.txt" >"$R/table.md"
cat "$R/table.md"
