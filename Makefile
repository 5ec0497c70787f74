# SPDX-License-Identifier: GPL-2.0
#
# Entry points of the series tooling; each target is a script in
# scripts/ that prints what it does and how long it took.

.PHONY: boot test deps base expand export lint checkpatch bisect build \
	kunit selftest sparse matrix bench bench-iopf bench-dma bench-huge coverage clean

# Build the patched kernel and boot it in QEMU through the main scenario.
boot:
	@scripts/boot-demo.sh

# Every check: lint, checkpatch, bisect build, KUnit, kselftests in
# QEMU, sparse/W=1 against the base, compile matrix.
test:
	@scripts/test.sh

deps:
	@scripts/deps.sh
base: deps
	@scripts/base.sh
expand: deps
	@scripts/expand.sh
export:
	@scripts/export.sh
lint:
	@scripts/lint.sh
checkpatch:
	@scripts/checkpatch.sh
bisect:
	@scripts/bisect.sh
build:
	@scripts/build.sh
kunit:
	@scripts/kunit.sh
selftest:
	@scripts/selftest.sh
sparse:
	@scripts/sparse.sh
matrix:
	@scripts/matrix.sh

# UNMAP_DMA cost, series against base, under QEMU -icount shift=0; writes
# bench/results/.
bench: deps
	@scripts/bench.sh

# Faultable mappings against pinned ones on the series' head, under QEMU
# -icount shift=0; writes bench/results/iopf-*.
bench-iopf: deps
	@scripts/bench-iopf.sh

# vfio_dma_rw() and vfio_pin_pages() per call, series against base, under
# QEMU -icount shift=0; writes bench/results/dma-*.
bench-dma: deps
	@scripts/bench-dma.sh

# MAP_DMA and UNMAP_DMA of huge-page-backed memory, series against base,
# under QEMU -icount shift=0; writes bench/results/huge-*.
bench-huge: deps
	@scripts/bench-huge.sh

# Line and function coverage of the files the series changes, KUnit and
# kselftests in one boot; writes build/coverage/.
coverage: deps
	@scripts/coverage.sh

clean:
	rm -rf build
