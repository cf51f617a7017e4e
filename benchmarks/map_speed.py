"""How fast is `rpf.evaluate.attribute_map` on real split sizes? (run by hand, not a test)

On the FashionAI and DARN test splits (official split files, `shared/splits`) with random
L2-normalised float32 features, time:

  ours   `attribute_map` (chunked: similarity block, one int64-key sort per row, cumsum AP)
  (a)    `loop_attribute_map`: the authors' protocol as they wrote it (argsort per query,
         Python label list, APScorer-style loop)
  (b)    the bare lower bound: per attribute the similarity matmul plus one sort per row,
         timed as NumPy `argsort`, NumPy value `sort` and torch `sort`; the fastest counts.

    python benchmarks/map_speed.py --threads 2            # CPU, as recorded in nbs/09_evaluate.ipynb
    python benchmarks/map_speed.py --device cuda          # torch inputs on the GPU ((a) skipped)
"""
import argparse, os, platform, sys, time
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--splits', default=os.environ.get('RPF_SHARED', str(Path(__file__).resolve().parents[2] / 'shared')) + '/splits')
p.add_argument('--datasets', nargs='+', default=['FashionAI', 'DARN'])
p.add_argument('--dim', type=int, default=2048)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--repeats', type=int, default=5, help='rounds; each round runs ours and (b) once, best counts')
p.add_argument('--device', default='cpu')
p.add_argument('--skip-loop', action='store_true', help='do not time (a)')
p.add_argument('--loop-repeats', type=int, default=2, help='rounds in which (a) runs too')
args = p.parse_args()
for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[var] = str(args.threads)

import numpy as np, torch
import torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rpf.data import read_items
from rpf.evaluate import attribute_map, loop_attribute_map

torch.set_num_threads(args.threads)
dev = torch.device(args.device)
sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)

def timed(f):
    "(wall seconds, CPU seconds of this process, result) of one call."
    sync(); w0, c0 = time.perf_counter(), time.process_time(); out = f(); sync()
    return time.perf_counter() - w0, time.process_time() - c0, out

def interleaved(fs: dict, n, only_first: dict = {}):
    """Best wall and best CPU time of each function over `n` rounds, the functions taking turns (fairer under a
    varying load: other jobs on the machine slow the wall clock, much less the CPU time); `only_first[k]` limits k's rounds."""
    wall, cpu, outs = {k: float('inf') for k in fs}, {k: float('inf') for k in fs}, {}
    for r in range(n):
        for k, f in fs.items():
            if r >= only_first.get(k, n): continue
            w, c, outs[k] = timed(f); wall[k], cpu[k] = min(wall[k], w), min(cpu[k], c)
    return wall, cpu, outs

def lower_bound(kind, qf, qa, cf, ca):
    "Similarity matmul + one sort per row, per attribute (no AP at all)."
    for k in torch.unique(qa).tolist():
        Q, C = qf[qa == k], cf[ca == k]
        if kind == 'torch sort': torch.sort(Q @ C.T, dim=1, descending=True)
        else:
            s = Q.numpy() @ C.numpy().T
            np.argsort(s, axis=1) if kind == 'numpy argsort' else np.sort(s, axis=1)

cpu_name = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor()) \
      if os.path.exists('/proc/cpuinfo') else platform.processor()
print(f'machine: {cpu_name}; {os.cpu_count()} cores visible; threads {args.threads}; device {dev}'
      + (f' ({torch.cuda.get_device_name(dev)})' if dev.type == 'cuda' else '')
      + f'; numpy {np.__version__}, torch {torch.__version__}')
for ds in args.datasets:
    q = read_items(f'{args.splits}/{ds}/query_test.txt'); c = read_items(f'{args.splits}/{ds}/candidate_test.txt')
    g = torch.Generator().manual_seed(0)
    qf = F.normalize(torch.randn(len(q), args.dim, generator=g), dim=1)
    cf = F.normalize(torch.randn(len(c), args.dim, generator=g), dim=1)
    qa, qv, ca, cv = (torch.from_numpy(x.copy()) for x in (q[:, 1], q[:, 2], c[:, 1], c[:, 2]))
    print(f'\n{ds} test: {len(q)} queries, {len(c)} candidates, {args.dim}-d float32')
    if dev.type == 'cuda':
        qf, qa, qv, cf, ca, cv = (x.to(dev) for x in (qf, qa, qv, cf, ca, cv))
        timed(lambda: attribute_map(qf, qa, qv, cf, ca, cv))                          # warm-up (CUDA context, kernels)
        ts, _, outs = interleaved({'ours': lambda: attribute_map(qf, qa, qv, cf, ca, cv),
                                   'b': lambda: lower_bound('torch sort', qf, qa, cf, ca)}, args.repeats)
        t_ours, (per, overall), t_b = ts['ours'], outs['ours'], ts['b']
        print(f'  ours {t_ours:.3f} s   (b) torch matmul+sort {t_b:.3f} s   ours/(b) {t_ours / t_b:.2f}x   mAP {100*overall:.2f}')
        continue
    fs = {'ours': lambda: attribute_map(qf, qa, qv, cf, ca, cv)}
    fs.update({kind: (lambda kind=kind: lower_bound(kind, qf, qa, cf, ca)) for kind in ('numpy argsort', 'numpy sort', 'torch sort')})
    if not args.skip_loop: fs['(a)'] = lambda: loop_attribute_map(qf, qa, qv, cf, ca, cv)
    wall, cpu, outs = interleaved(fs, args.repeats, {'(a)': args.loop_repeats})
    per, overall = outs['ours']
    print(f'  {"":28s}   wall s   CPU s   ours/this (wall, CPU)')
    for k in fs:
        print(f'  {k if k in ("ours", "(a)") else "(b) matmul + " + k:28s} {wall[k]:7.3f} {cpu[k]:7.3f}   '
              f'{wall["ours"] / wall[k]:.2f}x {cpu["ours"] / cpu[k]:.2f}x')
    lbs = {k: wall[k] for k in ('numpy argsort', 'numpy sort', 'torch sort')}
    kind_b = min(lbs, key=lbs.get); kind_bc = min(lbs, key=lambda k: cpu[k])
    line = (f'  summary {ds}: ours {wall["ours"]:.3f} s wall = {wall["ours"] / wall[kind_b]:.2f}x of (b) [{kind_b}, {wall[kind_b]:.3f} s]'
            f' (CPU: {cpu["ours"] / cpu[kind_bc]:.2f}x of (b) [{kind_bc}])')
    if not args.skip_loop:
        per_a, overall_a = outs['(a)']
        diff = max(abs(x - y) for x, y in zip(per + [overall], per_a + [overall_a]))
        line += f'; {wall["(a)"] / wall["ours"]:.1f}x faster than (a) [{wall["(a)"]:.2f} s] (CPU: {cpu["(a)"] / cpu["ours"]:.1f}x)'
        line += f'\n  mAP ours {100 * overall:.4f}, (a) {100 * overall_a:.4f}, max |diff| {diff:.1e} (from exact float32 ties only)'
    print(line)
