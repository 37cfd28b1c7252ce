#!/usr/bin/env bash
# Proves a backtest speed-up changed nothing: runs the same backtests in a base tree (e.g. main) and in
# this tree, writes each --json result to a file and compares them byte for byte with cmp.
#
#   git worktree add --detach /tmp/qts-base main && ln -s "$PWD/node_modules" /tmp/qts-base/node_modules
#   bash bench/identity-check.sh /tmp/qts-base            # full matrix (~10 min on 2 busy cores)
#   bash bench/identity-check.sh /tmp/qts-base --quick    # a few cases (~1 min)
#   git worktree remove --force /tmp/qts-base
#
# Cases: every strategy, market_making, all and stat_arb on 2 markets, on the real candles of
# test/fixtures/backtest and of $QTS_SHARED_DATA (default /work/shared/data; skipped when missing),
# and on seeded synthetic markets (bench/backtest-year.ts --out), with several seeds. Both trees read
# the same files (this tree's paths) and run the same way: from an esbuild bundle through this tree's
# launcher (cli/lib/run-bundled.ts, as npm run backtest does), or both under tsx with
# IDENTITY_LOADER=tsx; IDENTITY_LOADER=tsx-vs-bundle runs the base under tsx and this tree bundled
# (proves the launcher changes nothing). IDENTITY_HEAD_NODE=/path/to/node runs this tree's side with
# another Node binary (bundle loader; e.g. the official Node 22 package) to prove results do not depend on the V8
# version. Exit 0 when every pair is identical, 1 otherwise.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  usage
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi
BASE=$(cd "$1" && pwd)
QUICK=0
[[ ${2:-} == --quick ]] && QUICK=1
HEAD=$(cd "$(dirname "$0")/.." && pwd)
HEAD_NODE=${IDENTITY_HEAD_NODE:-node}
DATA=${QTS_SHARED_DATA:-/work/shared/data}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/qts-identity.XXXXXX")
mkdir -p "$OUT/base" "$OUT/head"
[[ -f $BASE/cli/backtest.ts ]] || { echo "identity-check: $BASE has no cli/backtest.ts" >&2; exit 2; }

# The synthetic runner is this tree's bench/backtest-year.ts (it may have options the base lacks),
# copied into the base tree so that it runs the base's engine and the base's synthetic-candles.ts.
RUNNER=bench/identity-runner.tmp.ts
cp "$HEAD/bench/backtest-year.ts" "$BASE/$RUNNER"
# Modules the runner imports that an older base may lack; none of them touches the engine's results.
COPIED=()
for extra in shared/src/backtest/heap-growth.ts shared/src/backtest/data/candle-columns.ts \
  shared/src/backtest/data/candle-views.ts bench/memory-trace.ts; do
  if [[ ! -f $BASE/$extra ]]; then
    cp "$HEAD/$extra" "$BASE/$extra"
    COPIED+=("$BASE/$extra")
  fi
done
trap 'rm -f "$BASE/$RUNNER" "${COPIED[@]}"' EXIT

LOADER=${IDENTITY_LOADER:-bundle}
case $LOADER in
  bundle) BASE_LOADER=bundle HEAD_LOADER=bundle ;;
  tsx) BASE_LOADER=tsx HEAD_LOADER=tsx ;;
  tsx-vs-bundle) BASE_LOADER=tsx HEAD_LOADER=bundle ;;
  *) echo "identity-check: IDENTITY_LOADER must be bundle, tsx or tsx-vs-bundle" >&2; exit 2 ;;
esac
# Runs a TypeScript script of the current directory's tree with a loader (bundle: this tree's launcher).
run_ts() { # loader script args... (RUN_NODE: the node binary)
  local loader=$1
  shift
  if [[ $loader == bundle ]]; then "${RUN_NODE:-node}" --require tsx/cjs "$HEAD/cli/lib/run-bundled.ts" "$@"; else npx tsx "$@"; fi
}

FIX=$HEAD/test/fixtures/backtest
CASES=()
# name|script|args (script: cli = cli/backtest.ts --json to stdout; syn = bench/backtest-year.ts --out)
add() { CASES+=("$1|$2|$3"); }

SINGLES=(momentum_scalping mean_reversion microstructure market_making)
for s in "${SINGLES[@]}" all; do
  add "fixture-btc8h-$s-seed1" cli "--data $FIX/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv --strategy $s --seed 1"
done
add "fixture-daily-stat_arb-btc-eth" cli "--data $FIX/bitstamp-daily --market KRW-BTC,KRW-ETH --timeframe 1d --strategy stat_arb --seed 1"
add "synthetic-all-3mkt-0.5d-seed2" syn "--days 0.5 --markets 3 --strategy all --seed 2"
if [[ $QUICK == 0 ]]; then
  add "fixture-btc8h-all-seed7" cli "--data $FIX/KRW-BTC_binance-btcusdt_1m_2021-02-21_8h.csv --strategy all --seed 7"
  add "fixture-daily-all-3mkt" cli "--data $FIX/bitstamp-daily --timeframe 1d --strategy all --seed 3"
  add "fixture-daily-stat_arb-btc-ltc-seed5" cli "--data $FIX/bitstamp-daily --market KRW-BTC,KRW-LTC --timeframe 1d --strategy stat_arb --seed 5"
  if [[ -d $DATA ]]; then
    for s in "${SINGLES[@]}" all; do
      add "real-btc7d-$s-seed1" cli "--data $DATA/binance_btcusdt_1m_2021-02-19_7d.json --market KRW-BTC --strategy $s --seed 1"
    done
    add "real-btc7d-all-seed2" cli "--data $DATA/binance_btcusdt_1m_2021-02-19_7d.json --market KRW-BTC --strategy all --seed 2"
    add "real-ltc2d-all-seed3" cli "--data $DATA/binance_ltcusdt_1m_2020-11-08_2d.json --market KRW-LTC --strategy all --seed 3"
    add "real-upbit-btc-4h-all" cli "--data $DATA/upbit_krw-btc_1m_2020-02-20.json --market KRW-BTC --strategy all --seed 1"
  else
    echo "identity-check: $DATA missing, real-data cases skipped (set QTS_SHARED_DATA)" >&2
  fi
  for seed in 1 2; do
    for s in "${SINGLES[@]}"; do
      add "synthetic-$s-1mkt-3d-seed$seed" syn "--days 3 --markets 1 --strategy $s --seed $seed"
    done
    add "synthetic-stat_arb-2mkt-3d-seed$seed" syn "--days 3 --markets 2 --strategy stat_arb --seed $seed"
  done
  add "synthetic-all-5mkt-1d-seed1" syn "--days 1 --markets 5 --strategy all --seed 1"
  add "synthetic-all-1mkt-2d-seed3" syn "--days 2 --markets 1 --strategy all --seed 3"
fi

run_case() { # tree name kind args
  local tree=$1 name=$2 kind=$3 args=$4 file loader=$HEAD_LOADER RUN_NODE=$HEAD_NODE
  if [[ $tree == "$BASE" ]]; then file=$OUT/base/$name.json loader=$BASE_LOADER RUN_NODE=node; else file=$OUT/head/$name.json; fi
  # shellcheck disable=SC2086
  if [[ $kind == cli ]]; then
    (cd "$tree" && run_ts "$loader" cli/backtest.ts $args --json >"$file" 2>"$file.err")
  else
    local runner=bench/backtest-year.ts
    [[ $tree == "$BASE" ]] && runner=$RUNNER
    (cd "$tree" && run_ts "$loader" "$runner" $args --json --out "$file" >/dev/null 2>"$file.err")
  fi
}

same=0
differ=0
printf '%-44s %s\n' case result
for c in "${CASES[@]}"; do
  IFS='|' read -r name kind args <<<"$c"
  run_case "$BASE" "$name" "$kind" "$args" || { echo "$name: base run failed, see $OUT/base/$name.json.err" >&2; exit 1; }
  run_case "$HEAD" "$name" "$kind" "$args" || { echo "$name: head run failed, see $OUT/head/$name.json.err" >&2; exit 1; }
  bytes=$(wc -c <"$OUT/head/$name.json")
  [[ $bytes -gt 100 ]] || { echo "$name: empty result, see $OUT/head/$name.json.err" >&2; exit 1; }
  if cmp -s "$OUT/base/$name.json" "$OUT/head/$name.json"; then
    same=$((same + 1))
    printf '%-44s identical (%s bytes)\n' "$name" "$bytes"
  else
    differ=$((differ + 1))
    printf '%-44s DIFFERENT: cmp %s %s\n' "$name" "$OUT/base/$name.json" "$OUT/head/$name.json"
  fi
done
echo "identity-check$([[ $HEAD_NODE == node ]] || echo " (head node $("$HEAD_NODE" -v))"): $same identical, $differ different (loaders base $BASE_LOADER, head $HEAD_LOADER; base $(git -C "$BASE" rev-parse --short HEAD), head $(git -C "$HEAD" rev-parse --short HEAD)$(git -C "$HEAD" diff --quiet || echo '+dirty'); files in $OUT)"
[[ $differ == 0 ]]
