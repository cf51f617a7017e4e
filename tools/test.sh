#!/usr/bin/env bash
# Run the notebooks' tests (nbdev_test), two notebooks at a time, and close with "N passed, N failed".
# Flags: RPF_TEST_FLAGS="shared slow" (or arguments) turn on flagged cells (settings.ini: tst_flags).
set -u
cd "$(dirname "$0")/../nbs" || exit 2
flags="${*:-${RPF_TEST_FLAGS:-}}"
log=$(mktemp)
scratch=$(mktemp -d -t rpf-tests.XXXXXX)   # the notebooks' tempfile.mkdtemp() folders land here (about 1.5 GB a run) ...
export TMPDIR="$scratch"
trap 'rm -rf "$scratch" "$log"' EXIT        # ... and go when the run ends, passed or failed
start=$(date +%s)
echo "nbdev_test --n_workers 2 --timing${flags:+ --flags \"$flags\"}"
if [ -n "$flags" ]; then nbdev_test --n_workers 2 --timing --flags "$flags" 2>&1 | tee "$log"; else nbdev_test --n_workers 2 --timing 2>&1 | tee "$log"; fi
total=$(ls [!_.]*.ipynb | wc -l)
failed=$(awk '/Tests Failed On The Following Notebooks/{f=1; next} f && /\.ipynb/{n++} END{print n+0}' "$log")
if ! grep -q '^Success\.' "$log" && [ "$failed" -eq 0 ]; then failed=$total; fi   # nbdev_test itself broke
echo "($(( $(date +%s) - start )) s)"
echo "$((total - failed)) passed, $failed failed"
rm -f "$log"
[ "$failed" -eq 0 ]
