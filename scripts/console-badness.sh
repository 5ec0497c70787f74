#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the lines of a guest console log that show the kernel misbehaved.
#
#   scripts/console-badness.sh CONSOLE.LOG     (or the log on stdin)
#
# Exit 0 and print nothing when the log is clean; exit 1 and print the
# offending lines (with line numbers) when it is not; exit 2 when the log
# cannot be read.  The model is rcutorture's console-badness.sh: one wide
# grep for trouble, then a short grep -v list of known-benign lines, each
# with the reason it is benign.

set -eu

if [ $# -gt 1 ]; then
	echo "usage: $0 [CONSOLE.LOG]" >&2
	exit 2
fi
log=${1:--}
if [ "$log" != - ] && [ ! -r "$log" ]; then
	echo "$0: cannot read $log" >&2
	exit 2
fi

bad=$(
	if [ "$log" = - ]; then cat; else cat -- "$log"; fi |
	tr -d '\r' |
	grep -n -E \
		-e 'WARNING:' \
		-e 'BUG:' \
		-e 'BUG at' \
		-e 'Oops' \
		-e 'Call Trace' \
		-e 'cut here' \
		-e 'possible circular locking' \
		-e 'possible recursive locking' \
		-e 'lockdep' \
		-e 'locking correctness validator' \
		-e 'DEBUG_LOCKS_WARN_ON' \
		-e 'INFO: task' \
		-e 'INFO: rcu' \
		-e 'detected stalls' \
		-e 'soft lockup' \
		-e 'hard LOCKUP' \
		-e 'KASAN' \
		-e 'UBSAN' \
		-e 'kmemleak' \
		-e 'unreferenced object' \
		-e 'Kernel panic' \
		-e 'general protection fault' \
		-e 'Unable to handle' \
		-e 'refcount_t:' \
		-e 'list_add corruption' \
		-e 'list_del corruption' \
		-e 'segfault at' \
		-e 'Badness' |
	# kmemleak announces itself at boot (late_initcall); only its reports
	# ("N new suspected memory leaks", "unreferenced object") are trouble.
	grep -v -E 'kmemleak: Kernel memory leak detector initialized' |
	# RCU's boot banner says that PROVE_RCU is on; lockdep's own reports
	# are caught above by "WARNING:", "BUG:" and "turning off the locking
	# correctness validator".
	grep -v -E 'rcu:[[:space:]]+RCU lockdep checking is enabled\.$' ||
	true
)

[ -z "$bad" ] && exit 0
printf '%s\n' "$bad"
exit 1
