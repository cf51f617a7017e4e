"""Training speed of RPF: images per second for stage 1 and stage 2, and where the time goes.

Runs a few optimiser steps of `rpf.train.Trainer` (random weights, no evaluation, no checkpoint) on a
generated dataset of JPEG images in the real split-file layout, and reports per preset and stage:
seconds per step, images per second (3B images per step), and the shares of the step spent waiting
for data, computing the attention crop, and in the model (forward, backward, Adam).

    python benchmarks/train_speed.py                                  # cpu and paper presets, both stages
    python benchmarks/train_speed.py --presets cpu --steps 5 --workers 2
    python benchmarks/train_speed.py --presets paper --device cuda    # on a GPU
    python benchmarks/train_speed.py --presets paper --device cuda --amp --crop-mode batched

With `--workers 0` (the default) loading runs in the training process, so the three shares add up to
the whole step; with workers, `data` is only the time the step waited for them.
"""
from __future__ import annotations
import argparse, json, platform, tempfile, time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from rpf.config import load_config, preset_path
from rpf.train import Trainer

DATA = {'DATASET': 'Bench', 'NUM_ATTRIBUTES': 2, 'ATTRIBUTES': {'NAME': ['shape', 'colour'], 'NUM': [3, 2]},
        'PATH_FILE': {'TRAIN': 'filenames.txt', 'VALID': 'filenames.txt', 'TEST': 'filenames.txt'},
        'GROUNDTRUTH': {'TRAIN': 'label_train.txt', 'QUERY': {'VALID': 'items.txt', 'TEST': 'items.txt'},
                        'CANDIDATE': {'VALID': 'items.txt', 'TEST': 'items.txt'}}}

def write_dataset(root: Path, n: int = 48, size=(400, 520)) -> Path:
    "JPEG images of about FashionAI's size with a coloured shape; 2 attributes."
    (root / 'img').mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0); names, labels = [], []
    for i in range(n):
        shape, colour = i % 3, (i // 3) % 2
        W, H = size if i % 2 else size[::-1]
        im = Image.fromarray(rng.integers(120, 255, (H, W, 3), dtype=np.uint8)); d = ImageDraw.Draw(im)
        cx, cy, r = W // 2, H // 2, min(W, H) // 4
        [d.rectangle, d.ellipse, d.ellipse][shape]((cx - r, cy - r // (1 + (shape == 2)), cx + r, cy + r // (1 + (shape == 2))),
                                                   fill=[(220, 30, 30), (30, 60, 220)][colour])
        im.save(root / 'img' / f'{i}.jpg', quality=90); names.append(f'img/{i}.jpg'); labels.append(f'{i} 0 {shape} 1 {colour}')
    (root / 'filenames.txt').write_text('\n'.join(names) + '\n')
    (root / 'label_train.txt').write_text('\n'.join(labels) + '\n')
    (root / 'items.txt').write_text(''.join(f'{i} 0 {i % 3}\n' for i in range(n)))
    return root

class Snapshot:
    "Callback: copy the trainer's timers after the warm-up steps."
    def __init__(self, warmup): self.warmup, self.at = warmup, None
    def after_step(self, trainer, terms):
        if trainer.step == self.warmup: self.at = (time.perf_counter(), dict(trainer.timer.seconds))

def measure(preset: str, stage: int, steps: int, warmup: int, batch: int | None, workers: int, device: str, root: Path,
            crop_mode: str | None = None, amp: bool = False) -> dict:
    opts = ['DATA.BASE_PATH', str(root.parent), 'DEVICE', device, 'DATA.NUM_WORKERS', str(workers), 'SOLVER.EVAL_STEPS', '1000',
            'MODEL.GLOBAL.BACKBONE.WEIGHTS', 'none', 'MODEL.TRANSFORMER.WEIGHTS', 'none',   # random weights: the speed is the same
            'SOLVER.AMP', 'true' if amp else 'false']
    if batch: opts += ['DATA.TRAIN_BATCHSIZE', str(batch)]
    if crop_mode: opts += ['INPUT.CROP_MODE', crop_mode]
    cfg = load_config({'DATA': DATA}, f'FashionAI/s{stage}.yaml', preset_path(preset), opts=opts)
    B = cfg.DATA.TRAIN_BATCHSIZE
    cfg = load_config(cfg, opts=['DATA.NUM_TRIPLETS', str(B * (steps + warmup))])
    snap = Snapshot(warmup)
    t = Trainer(cfg, callbacks=[snap], progress=False, run_dir=root / 'runs')
    t0 = time.perf_counter()
    t.train_epoch()                                         # one epoch = warm-up + measured steps; no evaluation, no checkpoint
    end = time.perf_counter()
    (t_w, sec_w) = snap.at if warmup else (t0, {})
    total = end - t_w
    sec = {k: t.timer.seconds.get(k, 0.0) - sec_w.get(k, 0.0) for k in ('data', 'crop', 'model')}
    return {'preset': preset, 'stage': stage, 'device': str(t.device), 'amp': t.amp, 'crop': cfg.INPUT.CROP_MODE if stage == 2 else '-',
            'images_per_step': 3 * B, 'steps': steps, 's_per_step': total / steps, 'images_per_s': 3 * B * steps / total,
            **{f'{k}_share': v / total for k, v in sec.items()},
            'parameters_M': sum(p.numel() for p in t.model.parameters()) / 1e6}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--presets', nargs='+', default=['cpu', 'paper'])
    p.add_argument('--stages', nargs='+', type=int, default=[1, 2])
    p.add_argument('--steps', type=int, default=3, help='measured steps (after --warmup)')
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--batch', type=int, default=None, help='triplets per step (default: the preset\'s DATA.TRAIN_BATCHSIZE)')
    p.add_argument('--workers', type=int, default=0)
    p.add_argument('--threads', type=int, default=None, help='torch.set_num_threads (default: torch\'s choice)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--crop-mode', default=None, choices=['exact', 'batched'])
    p.add_argument('--amp', action='store_true', help='mixed precision (SOLVER.AMP; CUDA only)')
    p.add_argument('--json', default=None, help='also write the rows to this JSON file')
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    root = write_dataset(Path(tempfile.mkdtemp()) / 'Bench')
    dev = torch.cuda.get_device_name() if a.device.startswith('cuda') else platform.processor() or platform.machine()
    print(f'# train_speed: {dev}, torch {torch.__version__}, {torch.get_num_threads()} threads, workers {a.workers}, amp {a.amp}')
    print('| preset | stage | crop | device | images/step | s/step | images/s | data | crop | model |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    rows = []
    for preset in a.presets:
        for stage in a.stages:
            r = measure(preset, stage, a.steps, a.warmup, a.batch, a.workers, a.device, root, a.crop_mode, a.amp); rows.append(r)
            print(f"| {preset} | {stage} | {r['crop']} | {r['device']} | {r['images_per_step']} | {r['s_per_step']:.2f} | {r['images_per_s']:.1f} | "
                  f"{100 * r['data_share']:.0f} % | {100 * r['crop_share']:.0f} % | {100 * r['model_share']:.0f} % |", flush=True)
    if a.json:
        from _provenance import provenance
        Path(a.json).write_text(json.dumps({'device': dev, 'provenance': provenance(), 'rows': rows}, indent=1))
    return rows

if __name__ == '__main__': main()
