"""Seconds of the demo's frozen CNNs with and without their BatchNorms folded into the convolutions (`TimmTrunk.fold_bn`).

The two frozen EfficientNet-Lite0 pieces of `presets/demo.yaml`: the region trunk (stride 8, 128 px, what `rpf.cache` runs once
per image, twice for the mirrored train images) and the hybrid ViT's patch embedding (stride 16, 96 px crops, run on the
3·B crops of every stage-2 step); and one whole stage-2 training step (B = 16 triplets, cached-feature input, training aids
on). Each is timed after a warm-up, `--repeats` times, best time kept; ratio = unfolded / folded.

    python benchmarks/fold_bn_speed.py --threads 2 [--json out.json]
"""
from __future__ import annotations
import argparse, json, os, platform, time

import torch

from rpf.demo import demo_configs
from rpf.weights import build_model
from rpf.aids import attach_aids

def best_of(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--json', default=None, help='also write the rows and the provenance (commit, machine, load) here')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    load0 = os.getloadavg()
    cfg = demo_configs('data', 0)['s2']
    model = build_model(cfg)
    trunk, embed = model.region_branch.trunk, model.patch_branch.vit.patch_embed.backbone
    trunk.channels_last = True; trunk.to(memory_format=torch.channels_last)      # as rpf.cache runs it
    g = torch.Generator().manual_seed(0)
    x, crops = torch.randn(100, 3, 128, 128, generator=g), torch.randn(48, 3, 96, 96, generator=g)
    B = 3 * cfg.DATA.TRAIN_BATCHSIZE
    batch = {'image': torch.randn(B, trunk.out_channels, 16, 16, generator=g), 'attr': torch.randint(0, 7, (B,), generator=g),
             'value': torch.randint(0, 3, (B,), generator=g), 'id': torch.randint(0, 4000, (B,), generator=g),
             'size': torch.full((B, 2), 256), 'source': torch.randn(B, 3, 256, 256, generator=g)}
    losses = attach_aids(model, cfg, torch.randint(0, 3, (4000, 7), generator=g))
    opt = torch.optim.SGD([q for q in model.parameters() if q.requires_grad], lr=1e-6)
    def step():
        terms, _ = losses(model, batch, cfg); terms['loss'].backward(); opt.step(); opt.zero_grad()
    rows = []
    for name, fn in (('region trunk, 100 images at 128 px (cache)', lambda: trunk.eval()(x)),
                     ('patch embedding, 48 crops at 96 px', lambda: embed(crops)),
                     ('stage-2 training step, 16 triplets', None)):
        t = {}
        for fold in (False, True):
            trunk.fold_bn = embed.fold_bn = fold
            if fn is None: model.train(); t[fold] = best_of(step, a.repeats)
            else:
                with torch.no_grad(): t[fold] = best_of(fn, a.repeats)
        rows.append((name, t[False], t[True]))
    print(f'torch {torch.__version__}, {a.threads} thread(s), {platform.processor() or platform.machine()}')
    print('| | unfolded s | folded s | ratio |\n|---|---|---|---|')
    for name, u, f in rows: print(f'| {name} | {u:.3f} | {f:.3f} | ×{u / f:.2f} |')
    if a.json:
        from _provenance import provenance
        res = {'provenance': provenance(), 'threads': a.threads, 'repeats': a.repeats, 'load_average_before': load0, 'load_average_after': os.getloadavg(),
               'rows': [{'name': n, 'unfolded_s': u, 'folded_s': f, 'ratio': u / f} for n, u, f in rows]}
        with open(a.json, 'w') as fh: json.dump(res, fh, indent=1)

if __name__ == '__main__': main()
