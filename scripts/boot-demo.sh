#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The end-to-end scenario: build the patched test kernel and boot it in
# QEMU (q35 + intel-iommu + edu, software emulation) through the vfio
# kselftests, then print what was set up and verified.
. "$(dirname "$0")/lib.sh"

t0=$(now)
"$TOP/scripts/deps.sh"
"$TOP/scripts/expand.sh"
"$TOP/scripts/selftest.sh"
echo "==> done in $(($(now) - t0))s; kernel: $B/kernel-test/arch/x86/boot/bzImage"
