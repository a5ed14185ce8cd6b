#!/usr/bin/env bash
# Measures the compare gate's false-alarm and detection rates on this machine. Each of PAIRS rounds
# makes two interleaved runs (`modelbench run --interleave . --repeat REPEAT`: baseline and candidate
# are this same checkout, alternating cell by cell): one A/A, one with a slowdown injected into the
# candidate's cells matching INJECT. Then `modelbench compare` judges each.
#   usage: scripts/calibrate-gate.sh [PAIRS=20] [BACKENDS=wasm] [SUITE=quick] [INJECT='logreg/predict/*/wasm=0.15'] [REPEAT=1]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-20}
backends=${2:-wasm}
suite=${3:-quick}
inject=${4:-'logreg/predict/*/wasm=0.15'}
repeat=${5:-1}
target=${inject%=*}
out=${CALIBRATION_OUT:-results/calibration-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
interleaved() { node bin/modelbench.mjs run --suite "$suite" --backends "$backends" --interleave . --repeat "$repeat" --out "$1" >/dev/null 2>&1 || true; }
false_alarms=0
caught=0
for i in $(seq 1 "$pairs"); do
  interleaved "$out/$i/aa"
  MODELBENCH_INJECT_SLOWDOWN="$inject" interleaved "$out/$i/slow"
  aa_dir=$(ls -d "$out/$i/aa"/*/)
  slow_dir=$(ls -d "$out/$i/slow"/*/)
  if node bin/modelbench.mjs compare "$aa_dir/baseline" "$aa_dir/candidate" --format json --output "$out/$i/aa.json"; then aa=pass; else aa=FALSE-ALARM; false_alarms=$((false_alarms + 1)); fi
  node bin/modelbench.mjs compare "$slow_dir/baseline" "$slow_dir/candidate" --format json --output "$out/$i/slow.json" || true
  if node -e '
    const c = require(process.argv[1]);
    const re = new RegExp("^" + process.argv[2].split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    process.exit(c.speed.some((s) => re.test(s.key) && s.verdict === "regression") ? 0 : 1);
  ' "$(realpath "$out/$i/slow.json")" "$target"; then slow=caught; caught=$((caught + 1)); else slow=MISSED; fi
  echo "pair $i: A/A $aa; injected slowdown $slow"
done
echo "A/A false alarms: $false_alarms of $pairs; injected ${inject#*=} slowdown of $target caught: $caught of $pairs (suite $suite, backends $backends, repeat $repeat)" | tee "$out/summary.txt"
