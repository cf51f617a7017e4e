"""Images per second of each training phase of `rpf_demo`, before and after the demo's options.

*before*: the demo recipe as it was (the `cpu` preset at 96 px with the training aids: the whole
EfficientNet-Lite0 trunk fine-tuned, images decoded and resized at every step, a ViT from scratch on
the crops). *after*: `presets/demo.yaml` as shipped (frozen trunk with features cached once per image,
stride 8 at 128 px, adapter, hybrid ViT). Both on the demo's SynthFashion, the training aids on, one
process, `--threads` torch threads. A phase = the global triplet baseline, stage 1, stage 2; images/s =
3·B images per step over the timed steps (after `--warmup` steps). The cache's one-off cost is timed too.

    python benchmarks/demo_speed.py --threads 2                       # data/SynthFashion (made if missing)
    python benchmarks/demo_speed.py --steps 10 --data /tmp/SynthFashion --synth-preset small
"""
from __future__ import annotations
import argparse, json, time
from pathlib import Path

import torch

from rpf.config import load_config
from rpf.data import DatasetFiles
from rpf.synth import generate
from rpf.train import Trainer, seed_everything
from rpf.cache import CachedTrainer
from rpf.demo import GlobalBaseline, demo_configs, build_cache

BEFORE = ['INPUT.GLOBAL_SIZE', '96', 'INPUT.LOCAL_SIZE', '96', 'DATA.NUM_WORKERS', '0', 'SOLVER.SPLIT_FORWARD', 'false',
          'SOLVER.AIDS.BATCH_ALL_WEIGHT', '1.0', 'SOLVER.AIDS.CLASSIFY_WEIGHT', '1.0', 'SOLVER.BASE_LR', '1e-3',
          'SOLVER.BASE_LR_SLOW', '1e-4']   # the previous presets/demo.yaml, on top of presets/cpu.yaml

def time_steps(trainer, steps: int, warmup: int) -> float:
    "Images per second over `steps` optimiser steps after `warmup` ones."
    trainer.model.train()
    it = iter(trainer.make_loader(0, 0))
    for _ in range(warmup): trainer.train_step(next(it))
    t0 = time.perf_counter()
    for _ in range(steps): trainer.train_step(next(it))
    return steps * 3 * trainer.cfg.DATA.TRAIN_BATCHSIZE / (time.perf_counter() - t0)

def phases(cfgs, files, cache, run_dir: Path, steps: int, warmup: int) -> dict:
    make = (lambda cfg, **kw: CachedTrainer(cfg, cache, files=files, progress=False, **kw)) if cache is not None else \
           (lambda cfg, **kw: Trainer(cfg, files=files, progress=False, **kw))
    out = {}
    seed_everything(0)
    cfg_b = load_config(cfgs['s1'], opts=['NAME', 'triplet'])
    out['triplet'] = time_steps(make(cfg_b, model=GlobalBaseline(cfg_b), run_dir=run_dir / 'b'), steps, warmup)
    out['stage1'] = time_steps(make(cfgs['s1'], run_dir=run_dir / 's1'), steps, warmup)
    out['stage2'] = time_steps(make(cfgs['s2'], run_dir=run_dir / 's2'), steps, warmup)
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default='data/SynthFashion'); p.add_argument('--synth-preset', default='default')
    p.add_argument('--steps', type=int, default=20); p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2); p.add_argument('--out', default='runs/bench_demo')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    data = Path(a.data); generate(data, preset=a.synth_preset)
    opts = ['DATA.DATASET', data.name]
    from _provenance import provenance
    res = {'provenance': provenance()}                       # the commit, uncommitted changes, CPU, threads, versions
    cfgs = demo_configs(data.parent, 0, ('cpu',), [*opts, *BEFORE])
    res['before'] = phases(cfgs, DatasetFiles(cfgs['s1']), None, Path(a.out) / 'before', a.steps, a.warmup)
    cfgs = demo_configs(data.parent, 0, ('cpu', 'demo'), opts)
    files = DatasetFiles(cfgs['s1'])
    t0 = time.perf_counter(); cache = build_cache(cfgs['s2'], files, progress=False)
    res['cache_seconds'] = time.perf_counter() - t0
    res['after'] = phases(cfgs, files, cache, Path(a.out) / 'after', a.steps, a.warmup)
    res['speedup'] = {k: res['after'][k] / res['before'][k] for k in res['before']}
    print(json.dumps(res, indent=1))

if __name__ == '__main__':
    main()
