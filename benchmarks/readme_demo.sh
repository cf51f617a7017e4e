#!/usr/bin/env bash
# The README's first command, as a new user runs it: a fresh clone of this repository's HEAD, the command taken from
# README.md as written, wall-clock seconds of the install and of `rpf_demo` apart, the load average before and after,
# and whether the run's metrics.json equals the committed nbs/images/demo_metrics.json (seconds and config aside).
#
#     bash benchmarks/readme_demo.sh OUT_DIR [WORK_DIR]
#
# OUT_DIR receives readme_demo.json, the run's metrics.json and the command's output (readme_demo.log); WORK_DIR (default
# a new folder under the system temp folder) holds the clone, its .venv (about 6 GB) and data/, and is removed at the end.
# Run it from the repository's root, on a machine with nothing else running if the seconds are to mean anything.
set -euo pipefail
out=$(realpath -m "${1:?usage: bash benchmarks/readme_demo.sh OUT_DIR [WORK_DIR]}")
work=$(realpath -m "${2:-$(mktemp -d -t rpf-readme-demo.XXXXXX)}")
repo=$(git rev-parse --show-toplevel)
mkdir -p "$out" "$work"
trap 'rm -rf "$work"' EXIT
cmd=$(awk '/^```sh$/{f=1; next} f && /^```/{f=0} f && /rpf_demo$/' "$repo/README.md" | head -1)
[ -n "$cmd" ] || { echo "README.md: no sh block ending in rpf_demo"; exit 1; }
case "$cmd" in *" && rpf_demo") install=${cmd% && rpf_demo} ;; *) echo "unexpected command: $cmd"; exit 1 ;; esac
git clone -q "$repo" "$work/repo"
cd "$work/repo"
commit=$(git rev-parse HEAD)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
bash -c "$install" > "$out/readme_demo.log" 2>&1
t1=$(date +%s.%N)
bash -c ". .venv/bin/activate && rpf_demo" >> "$out/readme_demo.log" 2>&1
t2=$(date +%s.%N)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
cp runs/demo/metrics.json "$out/metrics.json"
# keep the log readable: one line per message, without the progress bars' redraws
tr '\r' '\n' < "$out/readme_demo.log" | grep -v -E '(it/s|s/it)\]|^\s*$|[0-9]+%\|' > "$out/readme_demo.log.tmp" || true
mv "$out/readme_demo.log.tmp" "$out/readme_demo.log"
. .venv/bin/activate
python - "$out" "$commit" "$cmd" "$t0" "$t1" "$t2" "$load0" "$load1" "$repo/nbs/images/demo_metrics.json" <<'EOF'
import json, os, platform, sys, datetime
out, commit, cmd, t0, t1, t2, load0, load1, committed = sys.argv[1:]
t0, t1, t2 = float(t0), float(t1), float(t2)
def diffs(x, y, path=''):
    if 'seconds' in path or path.endswith('/config'): return []
    if isinstance(x, dict):
        d = [] if set(x) == set(y) else [f'{path}: keys differ']
        return d + [e for k in set(x) & set(y) for e in diffs(x[k], y[k], f'{path}/{k}')]
    if isinstance(x, list):
        return [f'{path}: lengths differ'] if len(x) != len(y) else [e for i, (u, v) in enumerate(zip(x, y)) for e in diffs(u, v, f'{path}[{i}]')]
    return [] if x == y else [f'{path}: {x} != {y}']
run = json.load(open(os.path.join(out, 'metrics.json')))
d = diffs(run, json.load(open(committed)))
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
res = {'commit': commit, 'command': cmd, 'date_utc': datetime.datetime.fromtimestamp(t0, datetime.timezone.utc).isoformat(timespec='seconds'),
       'install_seconds': round(t1 - t0, 1), 'demo_seconds': round(t2 - t1, 1), 'rpf_demo_total_seconds': round(run['seconds']['total'], 1),
       'load_average_before': load0, 'load_average_after': load1, 'cpu': cpu, 'cores': os.cpu_count(), 'python': platform.python_version(),
       'metrics_equal_committed': not d, 'differences': d[:20]}
json.dump(res, open(os.path.join(out, 'readme_demo.json'), 'w'), indent=1)
print(json.dumps(res, indent=1))
EOF
