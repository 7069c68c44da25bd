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

# the 2026 村两委换届: in each village the 主任 hands over on 2026-03-20, the township supervising
while read -r village outgoing incoming; do
  for fmt in html pdf; do
    "$BIN/village-ledger" handover "ledgers/$village" --date 2026-03-20 \
      --outgoing "$outgoing" --incoming "$incoming" --supervisor 刘振华 \
      --format "$fmt" -o "$OUT/$village-handover-2026-03-20.$fmt"
    status=$?
    [ "$status" -le 1 ] || exit "$status"
  done
done <<VILLAGES
huangmei 陈国华 黄志远
taibai 孙建平 钱海涛
VILLAGES
echo "Handover audits (换届交接) written to $OUT/*-handover-2026-03-20.html and .pdf"
