#!/usr/bin/env bash
# Compares the backtest's CPU seconds of a base tree and this tree, runs alternating, so that a
# shared machine's drift falls on both sides alike: single runs on 2 busy cores mean nothing.
#
#   git worktree add --detach /tmp/qts-base main && ln -s "$PWD/node_modules" /tmp/qts-base/node_modules
#   bash bench/cpu-ab.sh /tmp/qts-base 6 "365 1 market_making" "365 1 all" "7 5 all"
#
# Each case is "days markets strategy" for bench/backtest-year.ts (seeded synthetic bars, each tree
# bundled through its own cli/lib/run-bundled.ts). Prints one line per run (days markets strategy
# side cpuSeconds trades), then per case the CPU seconds of every round, the medians, and the pair
# ratio (median over the rounds of base ÷ head, with the rounds head was faster in). Trades must be
# equal on both sides; a line says so when they are not. Exit 0, or 2 on bad arguments.
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $# -lt 3 || $1 == -h || $1 == --help ]]; then
  usage
  [[ $# -ge 1 && ( $1 == -h || $1 == --help ) ]] && exit 0 || exit 2
fi
BASE=$(cd "$1" && pwd)
HEAD=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=$2
shift 2
CASES=("$@")
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "cpu-ab: ROUNDS must be a positive integer, got '$ROUNDS'" >&2; exit 2; }
[[ -f $BASE/bench/backtest-year.ts ]] || { echo "cpu-ab: $BASE has no bench/backtest-year.ts" >&2; exit 2; }
LINES=$(mktemp "${TMPDIR:-/tmp}/qts-cpu-ab.XXXXXX")
trap 'rm -f "$LINES"' EXIT

for ((r = 1; r <= ROUNDS; r++)); do
  for c in "${CASES[@]}"; do
    read -r days markets strategy <<<"$c"
    for side in base head; do
      tree=$BASE
      [[ $side == head ]] && tree=$HEAD
      out=$(cd "$tree" && node --require tsx/cjs cli/lib/run-bundled.ts bench/backtest-year.ts \
        --days "$days" --markets "$markets" --strategy "$strategy" --json 2>/dev/null) || out='{}'
      cpu=$(grep -o '"cpuSeconds": [0-9.]*' <<<"$out" | awk '{print $2}')
      trades=$(grep -o '"trades": [0-9]*' <<<"$out" | awk '{print $2}')
      echo "$days $markets $strategy $side ${cpu:-NaN} ${trades:-none}" | tee -a "$LINES"
    done
  done
done

# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
const cases = new Map();
for (const [d, m, s, side, cpu, trades] of rows) {
  const key = `${s}, ${d} d × ${m}`;
  if (!cases.has(key)) cases.set(key, { base: [], head: [], trades: new Set() });
  const c = cases.get(key);
  c[side].push(Number(cpu));
  c.trades.add(trades);
}
const median = (a) => {
  const b = [...a].sort((x, y) => x - y);
  const n = b.length;
  return n % 2 ? b[(n - 1) / 2] : (b[n / 2 - 1] + b[n / 2]) / 2;
};
for (const [key, c] of cases) {
  const ratios = c.base.map((b, i) => b / c.head[i]);
  const faster = c.base.filter((b, i) => c.head[i] < b).length;
  console.log(`${key}: base ${c.base.join(" ")} | head ${c.head.join(" ")} | median ${median(c.base).toFixed(2)} -> ${median(c.head).toFixed(2)} s | pair ratio ${median(ratios).toFixed(3)} (head faster in ${faster} of ${ratios.length})`);
  if (c.trades.size !== 1) console.log(`  trades differ: ${[...c.trades].join(", ")}`);
}
' "$LINES"
