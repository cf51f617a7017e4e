"""What a benchmark's JSON records about where its figures come from: the commit, whether the working tree had
uncommitted changes, the machine and the library versions. Imported by the scripts beside it (`python benchmarks/X.py`
puts this folder on the path)."""
from __future__ import annotations
import os, platform, subprocess, sys, time
from pathlib import Path

def _git(*args: str) -> str | None:
    "Output of `git args` in the repository this file is in, or None (no git, not a checkout)."
    try:
        r = subprocess.run(['git', *args], cwd=Path(__file__).resolve().parent, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired): return None
    return r.stdout.rstrip('\n') if r.returncode == 0 else None

def cpu_name() -> str:
    "The CPU's model name (from /proc/cpuinfo where there is one)."
    try:
        with open('/proc/cpuinfo') as f:
            return next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except (OSError, StopIteration): return platform.processor() or platform.machine()

def provenance() -> dict:
    "`{commit, dirty, date, python, torch, cpu, cores, threads}`: `dirty` lists the tracked files changed since `commit`."
    import torch
    changed = _git('status', '--porcelain', '--untracked-files=no')
    return {'commit': _git('rev-parse', 'HEAD'), 'dirty': None if changed is None else [l[3:] for l in changed.splitlines()],
            'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'python': sys.version.split()[0],
            'torch': torch.__version__, 'cpu': cpu_name(), 'cores': os.cpu_count(), 'threads': torch.get_num_threads()}
