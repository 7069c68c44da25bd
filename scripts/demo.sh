#!/bin/sh
# The main job on the sample township: check every village, then render the reports into OUT.
BIN="$1"
OUT="$2"
mkdir -p "$OUT"
echo "== village-ledger check ledgers/"
"$BIN/village-ledger" check ledgers/
status=$?
# exit 1 means the books have problems, which the sample township shows on purpose
[ "$status" -le 1 ] || exit "$status"
echo
echo "Reports written to $OUT/"
