#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The compile matrix beyond the x86_64 test kernel, on the series head:
#   gvt      x86_64_defconfig + config/gvt.config; every object of the
#            kvmgt module (drivers/gpu/drm/i915/gvt/*.o, which a plain
#            "make drivers/gpu/drm/i915/gvt/" would not build), with
#            sparse and W=1, failing on any warning.
#   ppc64le  ppc64le_defconfig + config/ppc64le.config with Debian's
#            cross gcc; arch/powerpc/kvm/, drivers/vfio/ and virt/kvm/.
#
#   scripts/matrix.sh [gvt] [ppc64le]     (default: both)
. "$(dirname "$0")/lib.sh"

gvt() {
	o=$B/gvt
	make_config "$o" x86_64 x86_64_defconfig "$TOP/config/gvt.config" || return 1
	objs=$(sed -n 's|^[[:space:]]*gvt/\([a-z0-9_]*\.o\).*|drivers/gpu/drm/i915/gvt/\1|p' \
		"$SRC/drivers/gpu/drm/i915/gvt/Makefile")
	[ -n "$objs" ] || { echo "no gvt objects found"; return 1; }
	# With sparse and W=1, from scratch (C=1 checks only what it
	# compiles): the base builds these without a warning, so any is new.
	for f in $objs; do rm -f "$o/$f"; done
	kmake O="$o" ARCH=x86_64 C=1 W=1 $objs >"$LOGS/matrix-gvt-w1.out" 2>&1 || {
		cat "$LOGS/matrix-gvt-w1.out"
		return 1
	}
	cat "$LOGS/matrix-gvt-w1.out"
	! grep -E ': (warning|error):' "$LOGS/matrix-gvt-w1.out"
}

ppc64le() {
	need powerpc64le-linux-gnu-gcc
	o=$B/ppc64le
	export CROSS_COMPILE=powerpc64le-linux-gnu-
	make_config "$o" powerpc ppc64le_defconfig "$TOP/config/ppc64le.config" || return 1
	kmake O="$o" ARCH=powerpc arch/powerpc/kvm/ drivers/vfio/ virt/kvm/
}

targets=${*:-gvt ppc64le}
for t in $targets; do
	case $t in
	gvt) step "compile i915 GVT-g (kvmgt objects)" matrix-gvt gvt ;;
	ppc64le) step "compile ppc64le KVM book3s + VFIO SPAPR TCE" matrix-ppc64le ppc64le ;;
	*) die "unknown matrix target $t (log: none)" ;;
	esac
done
