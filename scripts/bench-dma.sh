#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Measure CPU-side DMA, vfio_dma_rw() and vfio_pin_pages(), series
# against base, in one run.
#
# Builds the unpatched base and each point of the series that changes
# VFIO's CPU-side DMA paths (the commits after the mdma sample that touch
# drivers/vfio/ or include/linux/vfio.h, up to the head), all from
# config/boot.config, bench.config and bench-dma.config, with the
# out-of-tree module bench/dma_bench/vfio_dma_bench.ko built against each.
# Each boots under QEMU with -icount shift=0 (guest time and the TSC
# advance one tick per guest instruction) and runs bench/dma_bench.c,
# which times the calls through the module in loops in the kernel.  Raw
# lines go to bench/results/dma-raw.txt, a table to dma-table.md.
#
# Environment: BENCH_POINTS (labels to run, default all).
. "$(dirname "$0")/lib.sh"

R=$TOP/bench/results
WB=$B/linux-dma-base
W=$B/linux-dma
OB=$B/kernel-dma-base
O=$B/kernel-dma
frags="$TOP/config/boot.config $TOP/config/bench.config $TOP/config/bench-dma.config"

"$TOP/scripts/expand.sh" || exit 1

points=$B/dma-points
sample=$(git -C "$SRC" log --format=%H -F --grep='samples/vfio-mdev: Add mdma' \
	"$BASE_TAG..HEAD" | tail -n 1)
[ -n "$sample" ] || die "no mdma sample patch in the series (log: none)"
{
	echo "base $(git -C "$SRC" rev-parse "$BASE_TAG")"
	echo "p$(git -C "$SRC" rev-list --count "$BASE_TAG..$sample") $sample"
	for c in $(git -C "$SRC" rev-list --reverse "$sample..HEAD" -- \
		   drivers/vfio/ include/linux/vfio.h); do
		echo "p$(git -C "$SRC" rev-list --count "$BASE_TAG..$c") $c"
	done
} >"$points"

step "bench-dma: worktrees" bench-dma-worktree bench_worktrees "$WB" "$W"

# build LABEL COMMIT: kernel, headers, module and program of one point.
build() {
	if [ "$1" = base ]; then _w=$WB _o=$OB; else _w=$W _o=$O; fi
	git -C "$_w" checkout -q --detach "$2" &&
	mkdir -p "$_o" &&
	cat $frags >"$_o/.config" &&
	make -s -C "$_w" O="$_o" ARCH=x86_64 olddefconfig &&
	check_config "$_o" $frags &&
	make -s -C "$_w" O="$_o" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" bzImage modules &&
	cp "$_o/arch/x86/boot/bzImage" "$_o/bzImage-$1" &&
	make -s -C "$_w" O="$_o" ARCH=x86_64 headers_install INSTALL_HDR_PATH="$_o/hdr" &&
	rm -rf "$_o/dma_bench-$1" && mkdir -p "$_o/dma_bench-$1" &&
	cp "$TOP/bench/dma_bench/Kbuild" "$TOP/bench/dma_bench/"*.[ch] "$_o/dma_bench-$1/" &&
	_vec= &&
	if grep -q 'vfio_dma_rw_vec(' "$_w/include/linux/vfio.h"; then
		_vec=-DHAVE_VFIO_DMA_RW_VEC
	fi &&
	make -s -C "$_w" O="$_o" CC="ccache gcc" M="$_o/dma_bench-$1" KCFLAGS="$_vec" modules &&
	gcc -static -O2 -Wall -Werror -isystem "$_o/hdr/include" \
		-o "$_o/dma_bench-$1/dma_bench" "$TOP/bench/dma_bench.c" -lpthread
}

raw=$O/dma-raw.txt
mkdir -p "$O"
: >"$raw"
while read -r label commit; do
	case " ${BENCH_POINTS:-$label} " in *" $label "*) ;; *) continue ;; esac
	step "bench-dma: build $label ($(git -C "$SRC" log -1 --format=%s "$commit" | cut -c1-50))" \
		"bench-dma-build-$label" build "$label" "$commit"
	if [ "$label" = base ]; then _o=$OB; else _o=$O; fi
	_d=$_o/dma_bench-$label
	vec=0
	[ "$label" != base ] && grep -q 'vfio_dma_rw_vec(' "$W/include/linux/vfio.h" && vec=1
	run() {
		env BOOT_MEM=2G BOOT_TIMEOUT=1800 QEMU_OPTS="-icount shift=0" \
			QEMU_APPEND="transparent_hugepage=madvise BENCH_VEC=$vec" \
			BOOT_FILES="$_d/vfio_dma_bench.ko" \
			"$TOP/scripts/boot.sh" "$_o/bzImage-$label" "$_o/boot-$label" \
			"$_d/dma_bench"
	}
	step "bench-dma: run $label" "bench-dma-run-$label" run
	grep -q '^BENCH done' "$_o/boot-$label/result.txt" ||
		die "bench/dma_bench.c did not finish (log: $_o/boot-$label/result.txt)"
	grep '^BENCH ' "$_o/boot-$label/result.txt" | grep -v '^BENCH done' |
		sed "s/^BENCH /$label /" >>"$raw"
done <"$points"

mkdir -p "$R"
bench_raw "scripts/bench-dma.sh, $(date -u +%Y-%m-%d), QEMU -icount shift=0, TSC ticks = guest instructions" "$points" "$raw" >"$R/dma-raw.txt"
"$TOP/scripts/bench-dma-table.sh" "$R/dma-raw.txt" >"$R/dma-table.md"
cat "$R/dma-table.md"
