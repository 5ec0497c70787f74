#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The table of scripts/bench-dma.sh, from its raw file: one table per
# kind of line (rw, batch, part, pin, concurrent), a row per measurement
# (the ctx, dir, size, backing, pages, what, threads and copies keys), and
# for each point the measured values, then the head's ratio to base of the
# first value.
#
#   scripts/bench-dma-table.sh bench/results/dma-raw.txt
[ -r "$1" ] || { echo "usage: $0 RAW" >&2; exit 1; }
awk '
BEGIN { split("ctx dir size backing pages what threads copies", ik, " ")
	for (i in ik) isid[ik[i]] = 1 }
/^#/ { next }
{
	l = $1; k = $2; id = ""; nv = 0
	if (!(l in ls)) { ls[l] = 1; lo[++nl] = l }
	if (!(k in ks)) { ks[k] = 1; ko[++nk] = k }
	for (i = 3; i <= NF; i++) {
		split($i, a, "=")
		if (a[1] in isid) { id = id (id == "" ? "" : " ") $i; continue }
		nv++
		if (!((k, nv) in vn)) { vn[k, nv] = a[1]; if (nv > nvs[k]) nvs[k] = nv }
		v[l, k, id, nv] = a[2]
	}
	if (!((k, id) in rs)) { rs[k, id] = 1; ro[k, ++nr[k]] = id }
}
END {
	head = lo[nl]; base = lo[1]
	for (j = 1; j <= nk; j++) {
		k = ko[j]
		printf "\n%s\n\n| measurement |", k
		sep = "|---|"
		for (m = 1; m <= nl; m++)
			for (n = 1; n <= nvs[k]; n++) {
				printf " %s %s |", lo[m], vn[k, n]
				sep = sep "---:|"
			}
		printf " %s/%s |\n%s---:|\n", head, base, sep
		for (r = 1; r <= nr[k]; r++) {
			id = ro[k, r]
			printf "| %s |", id
			for (m = 1; m <= nl; m++)
				for (n = 1; n <= nvs[k]; n++) {
					x = v[lo[m], k, id, n]
					printf " %s |", x == "" ? "-" : x
				}
			b = v[base, k, id, 1]; h = v[head, k, id, 1]
			printf " %s |\n", (b != "" && h != "" && b + 0 != 0) ? sprintf("%.2f", h / b) : "-"
		}
	}
}' "$1"
