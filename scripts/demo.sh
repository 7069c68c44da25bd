#!/bin/sh
# The main job on the sample township: check every village, then render its reports into OUT:
# each village's latest quarter's 财务公开 (HTML, the A3 board as PDF, Excel), its books (科目余额表,
# 总账, 日记账, the month's 记账凭证, 合同台账, 资产台账), the township overview, and the handover audit of the 2026
# 村两委换届.
BIN="$1"
OUT="$2"
PERIOD=2026Q3   # the sample books run to 2026-09: their latest quarter
mkdir -p "$OUT"

# exit 1 means the books have problems, which the sample township shows on purpose
run() {
  "$@"
  status=$?
  [ "$status" -le 1 ] || { echo "failed ($status): $*" >&2; exit "$status"; }
}

echo "== village-ledger check ledgers/"
run "$BIN/village-ledger" check ledgers/
echo

echo "== 财务公开 $PERIOD"
for main in ledgers/*/main.beancount; do
  village=$(basename "$(dirname "$main")")
  [ "$village" = township ] && continue
  run "$BIN/village-ledger" disclose "$main" --period "$PERIOD" --format html -o "$OUT/$village-$PERIOD.html"
  run "$BIN/village-ledger" disclose "$main" --period "$PERIOD" --format pdf --paper a3 -o "$OUT/$village-$PERIOD-a3.pdf"
  run "$BIN/village-ledger" disclose "$main" --period "$PERIOD" --format xlsx -o "$OUT/$village-$PERIOD.xlsx"
  echo "  $OUT/$village-$PERIOD.html, $village-$PERIOD-a3.pdf, $village-$PERIOD.xlsx"
done

echo "== 会计账簿 $PERIOD"
for main in ledgers/*/main.beancount; do
  village=$(basename "$(dirname "$main")")
  run "$BIN/village-ledger" books "$main" --book 科目余额表 --period "$PERIOD" -o "$OUT/$village-$PERIOD-科目余额表.pdf"
  run "$BIN/village-ledger" books "$main" --book 总分类账 --period 2026 -o "$OUT/$village-2026-总分类账.xlsx"
  run "$BIN/village-ledger" books "$main" --book 现金日记账 --period "$PERIOD" -o "$OUT/$village-$PERIOD-现金日记账.pdf"
  run "$BIN/village-ledger" books "$main" --book 银行存款日记账 --period "$PERIOD" -o "$OUT/$village-$PERIOD-银行存款日记账.pdf"
  run "$BIN/village-ledger" vouchers "$main" --period 2026-09 -o "$OUT/$village-2026-09-记账凭证.pdf"
  run "$BIN/village-ledger" books "$main" --book 合同台账 --period 2026 -o "$OUT/$village-2026-合同台账.xlsx"
  run "$BIN/village-ledger" books "$main" --book 合同台账 --period 2026 -o "$OUT/$village-2026-合同台账.pdf"
  run "$BIN/village-ledger" books "$main" --book 资产台账 --period "$PERIOD" -o "$OUT/$village-$PERIOD-资产台账.pdf"
  echo "  $OUT/$village-$PERIOD-科目余额表.pdf, 2026-总分类账.xlsx, 日记账, 2026-09-记账凭证.pdf"
  echo "  $OUT/$village-2026-合同台账.xlsx, .pdf, $village-$PERIOD-资产台账.pdf"
done

echo "== 乡镇总览"
run "$BIN/village-ledger" overview ledgers/ --date 2026-10-31 --format html -o "$OUT/overview.html"
echo "  $OUT/overview.html"

# the 2026 村两委换届: in each village the 主任 hands over on 2026-03-20, the township supervising
echo "== 换届交接 2026-03-20"
while read -r village outgoing incoming; do
  for fmt in html pdf; do
    run "$BIN/village-ledger" handover "ledgers/$village" --date 2026-03-20 \
      --outgoing "$outgoing" --incoming "$incoming" --supervisor 刘振华 \
      --format "$fmt" -o "$OUT/$village-handover-2026-03-20.$fmt"
  done
  echo "  $OUT/$village-handover-2026-03-20.html, .pdf"
done <<VILLAGES
huangmei 陈国华 黄志远
taibai 孙建平 钱海涛
VILLAGES
echo
echo "Reports written to $OUT/"
