#!/bin/sh
# The GPU check: on a Linux x86-64 machine with an NVIDIA GPU and no network, unpack the portable
# bundle (npm run bundle -- --with-node --archive) and run the quick and gpu suites and the matMul
# ceiling on webgpu and wasm, writing results/ as usual. Needs no npm, no registry, no system Node.
#
#   sh gpu-check.sh [BUNDLE.tar.xz | BUNDLE_DIR] [RESULTS_DIR]
#
# The browser backends (browser-webgl, browser-webgpu, browser-wasm) need the system's Chromium
# (apt-get install chromium, or MODELBENCH_CHROMIUM=/path/to/chrome); without it their rows say
# unavailable, with that fix, and the rest runs. One run compares Node webgpu, browser WebGL and
# browser WebGPU on the same GPU.
#
# Environment: GPU_CHECK_SUITES (default "quick gpu"), GPU_CHECK_BACKENDS (default
# "webgpu,wasm,browser-webgl,browser-webgpu,browser-wasm"),
# GPU_CHECK_MATMUL_SIZES (default "1024,2048,4096"; empty skips it).
set -eu
src=${1:-dist/modelbench-linux-x64.tar.xz}
out=${2:-results}
suites=${GPU_CHECK_SUITES:-quick gpu}
backends=${GPU_CHECK_BACKENDS:-webgpu,wasm,browser-webgl,browser-webgpu,browser-wasm}
sizes=${GPU_CHECK_MATMUL_SIZES-1024,2048,4096}

if [ -f "$src" ]; then
  work=$(mktemp -d)
  tar -xJf "$src" -C "$work"
  dir="$work/$(ls "$work" | head -n 1)"
elif [ -x "$src/modelbench" ]; then
  dir=$src
else
  echo "gpu-check: '$src' is neither a bundle archive nor a bundle folder; build one with: npm run bundle -- --with-node --archive" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "== machine"
uname -srm
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
else
  echo "no nvidia-smi: webgpu will report the adapter it finds (llvmpipe without a GPU)"
fi
for lib in libvulkan.so.1 libEGL.so.1; do
  ldconfig -p 2>/dev/null | grep -q "$lib" && echo "$lib: present" || echo "$lib: MISSING (webgpu needs it for the GPU: apt-get install libvulkan1 libegl1)"
done

for exe in "${MODELBENCH_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  [ -n "$exe" ] && [ -x "$exe" ] && { echo "chromium: $exe ($("$exe" --version 2>/dev/null | head -n 1))"; break; }
done

echo "== backends"
"$dir/modelbench" backends

status=0
for suite in $suites; do
  echo "== suite $suite on $backends"
  CI=1 "$dir/modelbench" run --suite "$suite" --backends "$backends" --skip-peers --out "$out" || status=1
done
if [ -n "$sizes" ]; then
  for backend in $(echo "$backends" | tr ',' ' '); do
    # matmul starts a backend in its own process; the browser backends run only inside a page.
    case $backend in browser-*) continue ;; esac
    echo "== matmul on $backend"
    "$dir/modelbench" matmul --backend "$backend" --sizes "$sizes" --out "$out" || status=1
  done
fi
echo "== results in $out"
ls "$out"
exit $status
