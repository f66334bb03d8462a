#!/usr/bin/env bash
# Benchmarks several checkouts in one run, in rotating order, so a slow spell
# of a shared machine falls on every tree alike (docs/benchmarks.md, #14).
#
#   bench/compare-trees.sh OUT_DIR name=path [name=path ...]
#
# Each path is a checkout with node_modules (e.g. `git worktree add` plus a copy
# of node_modules). To run an older tree on today's harness, copy this tree's
# bench/ and testkit/src/simulator/webhook-sender.ts into it first. Rounds per
# load: ROUNDS_BOOKING (5), ROUNDS_OPEN (3), ROUNDS_INGRESS (2); a load set to
# 0 is skipped. Each run writes OUT_DIR/<name>-<load>-<round>.json and .log.
set -euo pipefail
out=${1:?usage: bench/compare-trees.sh OUT_DIR name=path [name=path ...]}
shift
[ $# -ge 1 ] || { echo "name at least one tree: name=path" >&2; exit 2; }
mkdir -p "$out"
names=()
declare -A trees
for spec in "$@"; do
  name=${spec%%=*} path=${spec#*=}
  [ -d "$path/node_modules" ] || { echo "$path: no node_modules (npm ci there first)" >&2; exit 2; }
  names+=("$name")
  trees[$name]=$path
done

run() { # load round name args...
  local load=$1 round=$2 name=$3
  shift 3
  (cd "${trees[$name]}" && timeout 600 npm run "$@" --out "$out/$name-$load-$round.json" >"$out/$name-$load-$round.log" 2>&1) ||
    echo "$name $load round $round failed: see $out/$name-$load-$round.log" >&2
  echo "$(date +%T) $load $name $round"
}

rounds() { # load count args...
  local load=$1 count=$2
  shift 2
  for ((r = 1; r <= count; r++)); do
    for ((i = 0; i < ${#names[@]}; i++)); do
      run "$load" "$r" "${names[$(((i + r) % ${#names[@]}))]}" "$@"
    done
  done
}

rounds booking "${ROUNDS_BOOKING:-5}" bench:pipeline -- --load booking --sessions 200 --workers 1
rounds open "${ROUNDS_OPEN:-3}" bench:pipeline -- --load open --rate 200 --duration-s 20 --warmup-s 5 --sessions 400 --workers 1 --handler dialog
rounds ingress "${ROUNDS_INGRESS:-2}" bench:ingress --
