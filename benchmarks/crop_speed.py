"""How much faster is the batched attention crop than the exact (PIL) one?  Run by hand:

    python benchmarks/crop_speed.py [--threads 2] [--batch 48] [--repeats 7] [--device cpu]

For a batch of B images (synthetic smooth images with a rectangle; sizes cycle through portrait,
landscape and square, 300–640 px, like the reference fixture) and random-bump attention maps, it
times, at the cpu preset size (S=128, S_local=96, R=256, 8×8 maps) and the paper size
(S=224, S_local=224, R=448, 14×14 maps):

- exact:   crop_boxes (vectorised) + crop_exact (PIL crop + resize per image) + move to the device
- batched: attention_box + crop_batched (one roi_align call) on the device
- source:  building batch['source'] (rpf.data.source_transform, per image) — work the batched mode
           moves into the data-loader workers; reported separately, not part of the crop step.

It prints the median time per batch of each and the ratio, plus the crops' agreement.
"""
import argparse, math, platform, statistics, time

import torch
import torch.nn.functional as F
from PIL import Image

from rpf.config import load_config, preset_path
from rpf.crop import attention_box, crop_boxes, crop_exact, crop_batched, crop_agreement
from rpf.data import source_transform

SIZES = [(300, 400), (512, 512), (400, 300), (500, 520), (331, 224), (640, 480)]

def make_images(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for i in range(n):
        W, H = SIZES[i % len(SIZES)]
        x = F.interpolate(torch.rand(1, 3, 8, 8, generator=g), size=(H, W), mode='bicubic', align_corners=False)[0]
        x = x + 0.15 * torch.rand(3, H, W, generator=g)                     # some fine texture
        l, t = int(torch.randint(0, W // 2, (1,), generator=g)), int(torch.randint(0, H // 2, (1,), generator=g))
        x[:, t:t + H // 3, l:l + W // 3] = torch.tensor([0.8, 0.15, 0.1])[:, None, None]
        out.append(Image.fromarray((x.clamp(0, 1).permute(1, 2, 0) * 255).round().byte().numpy()))
    return out

def make_maps(n, grid, seed=0):
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(grid, dtype=torch.float32), torch.arange(grid, dtype=torch.float32), indexing='ij')
    c = torch.rand(n, 2, generator=g) * (grid - 1)
    s = 0.5 + torch.rand(n, generator=g) * grid / 4
    a = torch.exp(-((xx - c[:, 0, None, None]) ** 2 + (yy - c[:, 1, None, None]) ** 2) / (2 * s[:, None, None] ** 2))
    return a / a.sum((1, 2), keepdim=True)

def timeit(fn, repeats, device):
    fn()                                                                    # warm-up
    ts = []
    for _ in range(repeats):
        if device.type == 'cuda': torch.cuda.synchronize()
        t0 = time.perf_counter(); fn()
        if device.type == 'cuda': torch.cuda.synchronize()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch', type=int, default=48)
    ap.add_argument('--repeats', type=int, default=7)
    ap.add_argument('--device', default='cpu')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    print(f'torch {torch.__version__}, {platform.processor() or platform.machine()}, {a.threads} threads, '
          f'device {dev}, batch {a.batch}, median of {a.repeats}')
    images = make_images(a.batch)
    sizes = torch.tensor([im.size for im in images])
    for name, S, L, R in [('cpu preset', 128, 96, 256), ('paper', 224, 224, 448)]:
        cfg = load_config(preset_path('paper'), opts=['INPUT.GLOBAL_SIZE', str(S), 'INPUT.LOCAL_SIZE', str(L),
                                                     'INPUT.CROP_SOURCE_SIZE', str(R), 'INPUT.THRESHOLD', '0.1'])
        mean, std, t = cfg.INPUT.PIXEL_MEAN, cfg.INPUT.PIXEL_STD, cfg.INPUT.THRESHOLD
        A = make_maps(a.batch, S // 16).to(dev)
        st = source_transform(cfg)
        t_src = timeit(lambda: torch.stack([st(im) for im in images]), max(1, a.repeats // 2), torch.device('cpu'))
        source = torch.stack([st(im) for im in images]).to(dev)
        exact = lambda: crop_exact(images, crop_boxes(A, sizes, S, t).cpu(), L, mean, std).to(dev)
        batched = lambda: crop_batched(source, attention_box(A, S, t), S, L, sizes)
        te, tb = timeit(exact, a.repeats, dev), timeit(batched, a.repeats, dev)
        agree = crop_agreement(exact().cpu(), batched().cpu(), mean, std)
        print(f'{name:10s} S={S} L={L} R={R}: exact {te * 1e3:7.1f} ms   batched {tb * 1e3:7.1f} ms   '
              f'speed-up {te / tb:5.1f}x   (building the sources: {t_src * 1e3:.0f} ms, in the loader)   '
              f'mean|diff| {agree["mean_abs_normalised"]:.4f}  PSNR {agree["psnr_db"]:.1f} dB')

if __name__ == '__main__': main()
