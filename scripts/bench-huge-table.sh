#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The table of scripts/bench-huge.sh's raw lines (file $1): for each
# workload and operation, each point's counts and its instructions as a
# ratio to the first point that ran it (vanilla for intel-iommu with edu,
# "before" for the test IOMMU, which the unpatched base does not have).
awk '
function val(k,   i, a) {
	for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] }
	return "-"
}
/^#/ { next }
{
	w = $2 " " val("op"); l = $1
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	n[w]++
	row[w, n[w]] = l
	ins[w, n[w]] = val("instructions")
	if (n[w] == 1) first[w] = ins[w, 1]
	if ($2 ~ /^edu/)
		rest[w, n[w]] = sprintf("- | - | %s vtd | - | - | - |", val("vtd_iotlb_inv"))
	else
		rest[w, n[w]] = sprintf("%s | %s | %s | %s | %s | %s |", val("map_calls"),
			val("unmap_calls"), val("iotlb_syncs"), val("lookups"),
			val("mapped_2m"), val("mapped_1g"))
	reg[w] = val("regions") " regions"
}
END {
	print "| workload | op | point | instructions | x first | map calls | unmap calls | IOTLB syncs | look-ups | 2M pages | 1G pages |"
	print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nw; i++) {
		w = order[i]; split(w, p, " ")
		for (j = 1; j <= n[w]; j++)
			printf "| %s (%s) | %s | %s | %s | %.3f | %s\n", p[1], reg[w], p[2],
				row[w, j], ins[w, j], first[w] ? ins[w, j] / first[w] : 0,
				rest[w, j]
	}
}' "$1"
