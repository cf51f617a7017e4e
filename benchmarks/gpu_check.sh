#!/usr/bin/env bash
# The GPU check, as one command, for the day a CUDA GPU is at hand (run from anywhere in a clone, in its venv):
#
#     benchmarks/gpu_check.sh [OUT_DIR]          # default OUT_DIR: runs/gpu_check
#
# 1. the notebooks' `cuda`-flagged cells: mixed-precision (SOLVER.AMP) training of both stages and a
#    resume (95a_trainer), the losses and the mAP on the GPU against the CPU (07_losses, 09_evaluate);
# 2. the attention crop, batched (roi_align on the GPU) against per image (PIL), at the cpu and paper sizes;
# 3. mAP speed on the GPU on the FashionAI and DARN test splits (if the split files are at hand);
# 4. training images/s at the paper's size (ResNet-50 + ViT-B/16, 224 px, 16 triplets = 48 images
#    per step), stage 1 and stage 2, float32 and AMP, exact and batched crop.
#
# Everything goes to OUT_DIR/gpu_check.log (and train_speed*.json). A GPU is often lent for minutes
# only, so a failed step does not stop the others: the script runs them all, then names the steps that
# failed and exits 1 if any did. Expect a few minutes on one modern GPU.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/runs/gpu_check}"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
log="$out/gpu_check.log"; : > "$log"
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
step() { echo; echo "== $*" | tee -a "$log"; }
failed=()
fail() { echo "gpu_check: FAILED: $current" | tee -a "$log"; failed+=("$current"); }

current='CUDA device'
step "$current"
python - 2>&1 <<'EOF' | tee -a "$log"
import sys, torch
if not torch.cuda.is_available(): sys.exit('gpu_check: torch sees no CUDA device (torch ' + torch.__version__ + ')')
p = torch.cuda.get_device_properties(0)
print(f'{p.name}, {p.total_memory / 2**30:.0f} GiB, torch {torch.__version__}, CUDA {torch.version.cuda}, '
      f'cuDNN {torch.backends.cudnn.version()}, {torch.cuda.device_count()} device(s)')
EOF
[ "${PIPESTATUS[0]}" -eq 0 ] || { fail; echo "gpu_check: no CUDA device, nothing else to check" >&2; exit 1; }

current='cuda-flagged notebook cells'
step "$current"
cd "$root/nbs"
nbs=$(grep -l '"#| *cuda' [0-9]*.ipynb | tr '\n' ' ')
for nb in $nbs; do
    echo "nbdev_test --flags cuda --path $nb" | tee -a "$log"
    res=$(nbdev_test --flags cuda --path "$nb" 2>&1 || true)
    echo "$res" | tail -n 20 | tee -a "$log"
    grep -q '^Success\.' <<< "$res" || { current="cuda-flagged cells of $nb"; fail; }
done
cd "$root"

current='attention crop: batched vs per image'
step "$current"
python benchmarks/crop_speed.py --device cuda --threads 4 --batch 48 2>&1 | tee -a "$log" || fail

current='mAP on the GPU'
step "$current"
splits="${RPF_SHARED:-$root/../shared}/splits"
if [ -d "$splits/FashionAI" ]; then
    python benchmarks/map_speed.py --device cuda --splits "$splits" --skip-loop 2>&1 | tee -a "$log" || fail
else
    echo "skipped: no split files under $splits (set RPF_SHARED to the folder that holds splits/)" | tee -a "$log"
fi

current='paper-size training images/s'
step "$current"
common=(--presets paper --stages 1 2 --batch 16 --steps 10 --warmup 3 --workers 8 --threads 4 --device cuda)
python benchmarks/train_speed.py "${common[@]}" --json "$out/train_speed_fp32.json" 2>&1 | tee -a "$log" || fail
python benchmarks/train_speed.py "${common[@]}" --amp --json "$out/train_speed_amp.json" 2>&1 | tee -a "$log" || fail
python benchmarks/train_speed.py "${common[@]}" --stages 2 --amp --crop-mode batched \
       --json "$out/train_speed_amp_batched.json" 2>&1 | tee -a "$log" || fail

if [ "${#failed[@]}" -gt 0 ]; then
    step "done, ${#failed[@]} step(s) failed: $(IFS=';'; echo "${failed[*]}") (see $log)"; exit 1
fi
step "done, every step passed: $log"
