#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the test kernel and the vfio kselftests, then boot the kernel in
# QEMU (q35, intel-iommu, edu) and run them from a small initramfs.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/build.sh"
o=$B/kernel-test
tests=$(ls "$o"/kselftest/vfio/* 2>/dev/null | while read -r f; do
	[ -f "$f" ] && [ -x "$f" ] && echo "$f"; done)
[ -n "$tests" ] || die "no vfio kselftest binaries in $o/kselftest/vfio (log: $LOGS/build-selftests.log)"
# One 1 GiB hugetlb page, reserved at boot (vfio_test_iommu_test's
# map_huge_1g), on top of the 1 GiB the tests had before.
BOOT_MEM=${BOOT_MEM:-2560M} \
QEMU_APPEND="hugepagesz=1G hugepages=1${QEMU_APPEND:+ $QEMU_APPEND}" \
	"$TOP/scripts/boot.sh" "$o/arch/x86/boot/bzImage" "$B/boot" $tests
