#!/usr/bin/env bash
# bench/gpu-check.sh: the GPU benchmarks of issue #7 (@tessera/blas-webgpu on a real GPU) as one
# command, for a machine that has a GPU but no network and no Node toolchain of ours.
#
# 1. Here, in the repo root, on the machine where the workspace is installed and built:
#      pnpm install --frozen-lockfile && pnpm build    # every dist current (--pack warns if not)
#      bash bench/gpu-check.sh --pack                  # writes .gpu-carry/, prints the sizes
# 2. On the GPU machine, through the device tool's run (it starts in the repo root):
#      command:   bash bench/gpu-check.sh
#      carry:     [".gpu-carry"]
#      timeout_s: 600      (the script's steps are capped at 8 minutes together)
#    Results come back in $OUT: gpu-check.log, summary.md (every table), the suites' .json files
#    and results.tar.gz (json/md/svg of each suite).
#
# Carry paths: only `.gpu-carry` (ignored through .git/info/exclude; --pack adds the line), holding
#   tree.tar.xz  ~22 MiB (~115 MiB unpacked): bench/dist, the dist folder of every workspace package
#                bench imports, and the runtime closure of node_modules (pnpm's links and the
#                node_modules/.pnpm entries they reach, Linux x64 binaries only, no source maps:
#                onnxruntime-node's libonnxruntime.so.1 46 MiB, webgpu's dawn.node 21 MiB, tfjs).
#                The whole node_modules (~550 MiB) and the 11 dist folders (over the 8 carry paths)
#                cannot travel as they are; bench/gpu-carry.mjs lists the subset.
#   node.xz      ~24 MiB: this machine's node binary, used there only when no node >= 20.19 exists.
#   debs/*.deb   ~1 MiB: the Vulkan loader and GLVND (the device README's recipe), unpacked into /
#                only when `ldconfig -p` shows no libvulkan.so.1 (Dawn and onnxruntime's WebGPU EP
#                reach the NVIDIA driver through Vulkan).
#   Measured (du -sh .gpu-carry): 45 MiB; with the working tree (~3 MiB) 47 of the 64 MiB.
#
# Environment: GPU_CHECK_QUICK=1 runs tiny sizes (a dry run on any machine, CPU adapters included);
# GPU_CHECK_BACKENDS: Dawn backends for gemm-webgpu (default "default": Vulkan on Linux, never the
# OpenGL ES fallback); GPU_PEAK_GFLOPS: the card's FP32 peak for the % of peak notes (guessed from
# nvidia-smi for H100/H200); OUT: where results go (the run tool sets it; default ./gpu-check-out);
# GPU_CHECK_NO_DEBS=1 never unpacks the .deb files into / (a dry run on a shared machine).
# Every step runs under `timeout`; a failing step is logged and the next one runs.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
CARRY=.gpu-carry

# Paths that exist only for other platforms, and source maps: not needed at run time.
TAR_EXCLUDES=(
  --exclude='*/webgpu/dist/darwin-*' --exclude='*/webgpu/dist/linux-arm64' --exclude='*/webgpu/dist/win32-*'
  --exclude='*/onnxruntime-node/bin/napi-v6/darwin' --exclude='*/onnxruntime-node/bin/napi-v6/win32'
  --exclude='*/onnxruntime-node/bin/napi-v6/linux/arm64' --exclude='node_modules/.pnpm/*.map'
)

pack() {
  set -e
  command -v node >/dev/null && command -v xz >/dev/null || { echo "--pack needs node and xz" >&2; exit 1; }
  [ -f bench/dist/main.js ] && [ -f bench/dist/peers-onnx.js ] || { echo "build bench first: pnpm build (or cd bench && npx tsc -b)" >&2; exit 1; }
  mkdir -p "$CARRY/debs"
  local exclude
  exclude=$(git rev-parse --git-path info/exclude 2>/dev/null || echo .git/info/exclude)
  mkdir -p "$(dirname "$exclude")"
  grep -qxF "/$CARRY/" "$exclude" 2>/dev/null || echo "/$CARRY/" >>"$exclude"
  node bench/gpu-carry.mjs >"$CARRY/paths.txt"
  echo "packing $(wc -l <"$CARRY/paths.txt") paths (list in $CARRY/paths.txt)"
  tar -cf - "${TAR_EXCLUDES[@]}" -T "$CARRY/paths.txt" | nice xz -T1 -6 >"$CARRY/tree.tar.xz.tmp"
  mv "$CARRY/tree.tar.xz.tmp" "$CARRY/tree.tar.xz"
  local node_bin
  node_bin=$(readlink -f "$(command -v node)")
  [ "$(node -p 'process.platform + "-" + process.arch')" = linux-x64 ] || echo "warning: $node_bin is not a linux-x64 binary; the GPU machine is x86-64 Linux" >&2
  echo "node $(node --version) from $node_bin"
  nice xz -T1 -6 -c "$node_bin" >"$CARRY/node.xz.tmp" && mv "$CARRY/node.xz.tmp" "$CARRY/node.xz"
  node --version >"$CARRY/node.version"
  # The Vulkan loader and GLVND, per the device README (amd64 package lists in /tmp/amd64).
  set +e
  local pkgs="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
  if ! (cd "$CARRY/debs" && apt-get download $pkgs >/dev/null 2>&1); then
    local o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    mkdir -p /tmp/amd64/partial
    apt-get $o update >/dev/null && (cd "$CARRY/debs" && apt-get $o download $pkgs) || echo "warning: could not download $pkgs; the GPU machine must have libvulkan.so.1" >&2
  fi
  set -e
  ls -la "$CARRY" "$CARRY/debs"
  local tree_bytes carry_bytes
  tree_bytes=$(git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
  carry_bytes=$(du -sb "$CARRY" | cut -f1)
  du -sh "$CARRY"
  echo "working tree $((tree_bytes / 1048576)) MiB + $CARRY $((carry_bytes / 1048576)) MiB = $(((tree_bytes + carry_bytes) / 1048576)) MiB of the run tool's 64 MiB"
  [ $((tree_bytes + carry_bytes)) -lt $((64 * 1048576)) ] || { echo "over 64 MiB: it will not travel" >&2; exit 1; }
}

if [ "${1:-}" = "--pack" ]; then pack; exit $?; fi

# ---- On the GPU machine ----------------------------------------------------------------------
OUT=${OUT:-$ROOT/gpu-check-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/gpu-check.log") 2>&1
TEE_PID=$!
QUICK=${GPU_CHECK_QUICK:-0}
export BACKENDS=${GPU_CHECK_BACKENDS:-default}
RES=$(mktemp -d /tmp/gpu-check-results.XXXXXX)
T0=$(date +%s)
FAILED=()

# step NAME SECONDS COMMAND...: runs COMMAND under timeout, logs its status and time, never exits.
step() {
  local name=$1 secs=$2 t rc
  shift 2
  t=$(date +%s)
  echo
  echo "=== $name (limit ${secs}s, at +$((t - T0))s)"
  if [ "$(type -t "$1")" = function ]; then
    export -f "$1"
    timeout -k 10 "$secs" bash -c '"$@"' _ "$@"
  else
    timeout -k 10 "$secs" "$@"
  fi
  rc=$?
  echo "=== $name: exit $rc after $(($(date +%s) - t))s$([ $rc = 124 ] && echo ' (timed out)')"
  [ $rc = 0 ] || FAILED+=("$name (exit $rc)")
  return $rc
}

echo "gpu-check: $(date -u +%FT%TZ) on $(hostname), quick=$QUICK, Dawn backends for gemm-webgpu: $BACKENDS"
git rev-parse HEAD 2>/dev/null | sed 's/^/commit /'
uname -a
if command -v nvidia-smi >/dev/null; then
  timeout 30 nvidia-smi
  timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  GPU_NAME=$(timeout 30 nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
else
  echo "nvidia-smi: not found (no NVIDIA driver here)"
  GPU_NAME=
fi
# FP32 (non-tensor) peaks from NVIDIA's data sheets, in GFLOP/s.
if [ -z "${GPU_PEAK_GFLOPS:-}" ]; then
  case "$GPU_NAME" in
    *H100*PCIe*) GPU_PEAK_GFLOPS=51200 ;;
    *H100*NVL*) GPU_PEAK_GFLOPS=60000 ;;
    *H100*) GPU_PEAK_GFLOPS=66900 ;;
    *H200*NVL*) GPU_PEAK_GFLOPS=60000 ;;
    *H200*) GPU_PEAK_GFLOPS=66900 ;;
    *) GPU_PEAK_GFLOPS= ;;
  esac
fi
echo "FP32 peak used for the notes: ${GPU_PEAK_GFLOPS:-unknown} GFLOP/s (${GPU_NAME:-no GPU name})"

# Unpack what travelled in .gpu-carry (skipped when a previous call on this machine did it).
untar() { # untar FILE.tar.xz DIR
  if command -v xz >/dev/null; then tar -xJf "$1" -C "$2"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}
unxz_to() { # unxz_to FILE.xz OUTFILE
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
if [ -f "$CARRY/tree.tar.xz" ] && { [ ! -e bench/node_modules/onnxruntime-node ] || [ ! -f bench/dist/main.js ] || [ "${GPU_CHECK_UNPACK:-0}" = 1 ]; }; then
  step "unpack $CARRY/tree.tar.xz" 60 untar "$CARRY/tree.tar.xz" .
fi
node_ok() { command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; }
if ! node_ok && [ -f "$CARRY/node.xz" ]; then
  mkdir -p /tmp/gpu-check-node
  unxz_to "$CARRY/node.xz" /tmp/gpu-check-node/node && chmod +x /tmp/gpu-check-node/node
  export PATH=/tmp/gpu-check-node:$PATH
fi
node_ok || { echo "no node >= 20.19 here and none carried ($CARRY/node.xz): run bash bench/gpu-check.sh --pack first"; exit 1; }
echo "node $(node --version) at $(command -v node)"
[ -f bench/dist/main.js ] || { echo "bench/dist/main.js is missing: carry .gpu-carry (bash bench/gpu-check.sh --pack)"; exit 1; }

# Vulkan: the loader (libvulkan.so.1) and the NVIDIA driver's ICD file.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  if [ "${GPU_CHECK_NO_DEBS:-0}" = 1 ]; then
    echo "no libvulkan.so.1; GPU_CHECK_NO_DEBS=1: not unpacking the carried .deb files"
  elif ls "$CARRY"/debs/*.deb >/dev/null 2>&1; then
    echo "no libvulkan.so.1: unpacking $(ls "$CARRY"/debs/*.deb | wc -l) carried .deb files into /"
    for f in "$CARRY"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
  else
    echo "no libvulkan.so.1 and no carried .deb files: Dawn will find no Vulkan adapter"
  fi
fi
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && case ":${LD_LIBRARY_PATH:-}:" in *":$d:"*) ;; *) export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d ;; esac
done
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
use_nv_icd() {
  export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD
  [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] && export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  echo "using the Vulkan ICD $NV_ICD"
}
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$NV_ICD" ] && ! ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json >/dev/null 2>&1; then use_nv_icd; fi
ldconfig -p 2>/dev/null | grep -E 'libvulkan\.so\.1|libGLX_nvidia|libEGL_nvidia' | head -5

# Probe: the adapter Tessera gets from Dawn on the gemm-webgpu backends, and onnxruntime's WebGPU EP.
probe() {
  (cd bench && node --input-type=module -e '
    const backends = process.argv[1].split(",");
    try {
      const { webgpuDevice } = await import("@tessera/blas-webgpu");
      const d = await webgpuDevice({ register: false, backends });
      console.log(`probe: tessera webgpu adapter ${JSON.stringify(d.info)}`);
      d.dispose();
    } catch (e) { console.log(`probe: tessera webgpu FAILED: ${e.message}`); process.exitCode = 1; }
    const ort = await import("./dist/peers-onnx.js");
    const r = ort.probeOrtEp("webgpu");
    console.log(`probe: onnxruntime-node webgpu EP ${r.ok ? `ok (max |error| ${r.maxAbsErr})` : `FAILED: ${r.why}`}`);
    process.exit(process.exitCode ?? 0);
  ' "$BACKENDS")
}
if ! step "probe adapters" 40 probe && [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$NV_ICD" ]; then
  use_nv_icd
  step "probe adapters (NVIDIA ICD)" 40 probe
fi

# Results into $OUT (the run tool returns at most 8 files): summary.md, the .json files, a tarball
# of every json/md/svg, and gpu-check.log. Refreshed after each benchmark, so a run cut short keeps
# what finished.
collect() {
  {
    echo "# GPU check ($(date -u +%F))"
    echo
    echo "GPU: ${GPU_NAME:-none}; node $(node --version); quick=$QUICK; Dawn backends for gemm-webgpu: $BACKENDS."
    git rev-parse HEAD 2>/dev/null | sed 's/^/Commit /;s/$/./'
    grep -h '^probe:' "$OUT/gpu-check.log" | sed 's/^/- /'
    for f in "$RES"/*.md; do [ -f "$f" ] && { echo; cat "$f"; }; done
    if [ ${#FAILED[@]} -gt 0 ]; then echo; echo "Failed steps: ${FAILED[*]}."; fi
  } >"$OUT/summary.md"
  cp "$RES"/*.json "$OUT"/ 2>/dev/null
  if command -v gzip >/dev/null; then tar -czf "$OUT/results.tar.gz" -C "$RES" .; else tar -cf "$OUT/results.tar" -C "$RES" .; fi
}

# The benchmarks. With the setup above the step limits sum to under 8 minutes (typically 3 to 4).
if [ "$QUICK" = 1 ]; then
  GEMM=(--quick --sizes 64,128 --budget-ms 500)
  RESNET=(--size 32 --batch 2 --steps 2)
  LENET=(--batch 8 --steps 2)
else
  GEMM=(--sizes 1024,2048,4096,8192)
  RESNET=(--steps 10 --systems threads,webgpu) # wasm on every thread (not 1 thread: ~3 s a step) and webgpu
  LENET=()
fi
[ -n "${GPU_PEAK_GFLOPS:-}" ] && GEMM+=(--peak-gflops "$GPU_PEAK_GFLOPS")
step "gemm-webgpu" 180 node bench/dist/main.js gemm-webgpu "${GEMM[@]}" --backends "$BACKENDS" --systems webgpu,onnxruntime --out "$RES"
collect
step "train resnet18 webgpu" 140 node bench/dist/main.js train --model resnet18 --device webgpu "${RESNET[@]}" --tag resnet18 --out "$RES"
collect
step "train lenet5 webgpu" 50 node bench/dist/main.js train --device webgpu --systems tessera "${LENET[@]}" --tag lenet5 --out "$RES"
collect

echo
echo "gpu-check: done in $(($(date +%s) - T0))s; failed steps: ${FAILED[*]:-none}"
ls -la "$OUT"
exec >&- 2>&-
wait "$TEE_PID" 2>/dev/null
exit 0
