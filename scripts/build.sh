#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the x86_64 test kernel (bzImage) and the vfio kselftests from
# the expanded tree, in build/kernel-test.  The configuration is the one
# kunit.py makes from the same fragments, so both share one build.
. "$(dirname "$0")/lib.sh"

o=$TEST_O
step "configure the test kernel" build-config test_config
step "build the test kernel (bzImage)" build-kernel kmake O="$o" ARCH=x86_64 bzImage

step "build the vfio kselftests (static)" build-selftests build_selftests
