#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what the series tooling needs on a fresh Debian 12 machine.
# Quiet when everything is there already.
set -eu
pkgs="linux-source-6.12 bc bison flex libelf-dev libssl-dev cpio
busybox-static qemu-system-x86 qemu-system-data sparse ccache dwarves
gcc-powerpc64le-linux-gnu rsync kmod python3 xz-utils git make gcc
libc6-dev perl python3-ply python3-git"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "==> installing:$missing"
log=${TMPDIR:-/tmp}/vfio-iopf-deps.log
if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive \
	$SUDO apt-get install -y --no-install-recommends $missing; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "FAILED: apt-get install of$missing (log: $log)" >&2
	exit 1
fi
