#!/usr/bin/env bash
# Measures the compare gate's false-alarm and detection rates on this machine:
# PAIRS rounds of three interleaved runs of the same code (baseline, A/A twin, and a twin with an
# injected slowdown of one workload), then `modelbench compare` on each pair.
#   usage: scripts/calibrate-gate.sh [PAIRS=20] [BACKENDS=wasm] [SUITE=quick] [INJECT='logreg/predict/*/wasm=0.15']
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-20}
backends=${2:-wasm}
suite=${3:-quick}
inject=${4:-'logreg/predict/*/wasm=0.15'}
out=${CALIBRATION_OUT:-results/calibration-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
run() { node bin/modelbench.mjs run --suite "$suite" --backends "$backends" --skip-peers --out "$1" >/dev/null 2>&1 || true; }
false_alarms=0
caught=0
for i in $(seq 1 "$pairs"); do
  run "$out/$i/base"
  run "$out/$i/aa"
  MODELBENCH_INJECT_SLOWDOWN="$inject" run "$out/$i/slow"
  if node bin/modelbench.mjs compare "$out/$i/base" "$out/$i/aa" --format json --output "$out/$i/aa.json"; then aa=pass; else aa=FALSE-ALARM; false_alarms=$((false_alarms + 1)); fi
  node bin/modelbench.mjs compare "$out/$i/base" "$out/$i/slow" --format json --output "$out/$i/slow.json" || true
  target=${inject%=*}
  if node -e '
    const c = require(process.argv[1]);
    const re = new RegExp("^" + process.argv[2].split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    process.exit(c.speed.some((s) => re.test(s.key) && s.verdict === "regression") ? 0 : 1);
  ' "$(realpath "$out/$i/slow.json")" "$target"; then slow=caught; caught=$((caught + 1)); else slow=MISSED; fi
  echo "pair $i: A/A $aa; injected slowdown $slow"
done
echo "A/A false alarms: $false_alarms of $pairs; injected ${inject#*=} slowdown of $target caught: $caught of $pairs" | tee "$out/summary.txt"
