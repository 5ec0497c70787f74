#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every check of the series, in the order a failure is cheapest to
# report: hygiene of the patch files, then builds and tests.  Stops at
# the first failure with one line naming it and its log.
. "$(dirname "$0")/lib.sh"

t0=$(now)
: >"$LOGS/times"
"$TOP/scripts/deps.sh"
"$TOP/scripts/expand.sh"
"$TOP/scripts/export.sh" --check
"$TOP/scripts/lint.sh"
"$TOP/scripts/checkpatch.sh"
"$TOP/scripts/bisect.sh"
"$TOP/scripts/kunit.sh"
"$TOP/scripts/selftest.sh"
"$TOP/scripts/sparse.sh"
"$TOP/scripts/matrix.sh"
"$TOP/scripts/harness-test.sh"
echo "==> all checks passed in $(($(now) - t0))s (step times: $LOGS/times)"
