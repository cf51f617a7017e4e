"""How fast is gallery search, and how fast is embedding? (run by hand, not a test)

Search: `rpf.search.RetrievalIndex` over N gallery vectors of one attribute, for the demo's
joint embedding (2 × 128 = 256 dims: `cpu` + `demo` presets) and the paper's (2 × 1024 = 2048):

  torch       brute force: one matmul and a top-k (exact)
  faiss-flat  faiss IndexFlatIP (exact)
  faiss-ivf   faiss IndexIVFFlat, nlist ≈ sqrt(N) cells, nprobe visited per query (approximate;
              recall@10 against the exact top 10)

The vectors are unit-length points around 1,000 random centres (embeddings cluster by value;
uniform random vectors would be the worst case for IVF). Latency is the median over single
queries; memory is what the index holds (features, plus ids and centroids for IVF) and the
process's peak RSS at the end. Configurations whose gallery exceeds --max-gb are skipped.

Embedding: images/s of `Embedder.embed` (PIL images in memory → joint features, stage 2, exact
crop) for the demo model and the paper-size model (ResNet-50 trunk + ViT-B/16 at 224 px), random weights.

    python benchmarks/search_speed.py --threads 1            # the figures in README.md
"""
import argparse, math, os, platform, resource, sys, time
from pathlib import Path

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--sizes', type=int, nargs='+', default=[10_000, 100_000, 1_000_000])
p.add_argument('--dims', type=int, nargs='+', default=[256, 2048], help='embedding sizes (demo joint, paper joint)')
p.add_argument('--queries', type=int, default=100)
p.add_argument('--nprobe', type=int, default=16)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--max-gb', type=float, default=3.0, help='skip galleries larger than this (float32 features)')
p.add_argument('--embed-images', type=int, nargs=2, default=[64, 8], metavar=('DEMO', 'PAPER'), help='images to embed per model')
p.add_argument('--skip-embed', action='store_true')
args = p.parse_args()
for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[var] = str(args.threads)

import numpy as np, torch
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rpf.search import Embedder, RetrievalIndex, recall_at_k
torch.set_num_threads(args.threads)
try:
    import faiss
    faiss.omp_set_num_threads(args.threads)
except ImportError: faiss = None

def clustered(n, d, rng, centres=1000, spread=0.5):
    "n unit vectors of d dims around `centres` random centres (float32), generated in chunks."
    c = rng.standard_normal((centres, d), dtype=np.float32)
    out = np.empty((n, d), np.float32)
    for s in range(0, n, 100_000):
        m = min(100_000, n - s)
        x = c[rng.integers(0, centres, m)] + spread * rng.standard_normal((m, d), dtype=np.float32)
        out[s:s + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out

def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

print(f'# search_speed: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible, {args.threads} thread(s), '
      f'torch {torch.__version__}, faiss {faiss.__version__ if faiss else "missing"}')
print('| dims | N | backend | build s | ms/query | recall@10 | index MB |')
print('|---:|---:|---|---:|---:|---:|---:|')
rng = np.random.default_rng(0)
t_start = time.perf_counter()
for d in args.dims:
    for n in args.sizes:
        gb = n * d * 4 / 2**30
        if gb > args.max_gb:
            print(f'| {d} | {n:,} | (skipped: {gb:.1f} GB of features > --max-gb {args.max_gb}) | | | | |'); continue
        x = clustered(n, d, rng)
        q = x[rng.integers(0, n, args.queries)] + 0.3 * rng.standard_normal((args.queries, d), dtype=np.float32) / math.sqrt(d)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        attrs = np.zeros(n, np.int64)
        exact_ids = None
        for backend in ['torch'] + (['faiss-flat', 'faiss-ivf'] if faiss else []):
            t0 = time.perf_counter()
            index = RetrievalIndex(torch.from_numpy(x), attrs, ids=np.arange(n), backend=backend, nprobe=args.nprobe)
            build = time.perf_counter() - t0
            index.search(q[0], 0, k=10)                                        # warm-up
            lat, got = [], []
            for i in range(args.queries):
                t0 = time.perf_counter()
                ids, _ = index.search(q[i], 0, k=10)
                lat.append(time.perf_counter() - t0); got.append(ids.astype(np.int64))
            got = np.stack(got)
            if backend == 'torch': exact_ids = got
            mb = n * d * 4 / 2**20
            if backend == 'faiss-ivf':
                ivf = index._faiss[0]
                mb += (n * 8 + ivf.nlist * d * 4) / 2**20
                name = f'faiss-ivf (nlist {ivf.nlist}, nprobe {ivf.nprobe})'
            else: name = backend
            print(f'| {d} | {n:,} | {name} | {build:.2f} | {1e3 * np.median(lat):.2f} | {recall_at_k(got, exact_ids, 10):.3f} | {mb:,.0f} |', flush=True)
            del index
        del x
print(f'\npeak RSS {rss_gb():.2f} GB; search part {time.perf_counter() - t_start:.0f} s')

if not args.skip_embed:
    from PIL import Image
    from rpf.config import load_config
    from rpf.model import RPF
    print('\n| model | input | parameters | images/s |\n|---|---|---:|---:|')
    for name, files, n in [('demo (cpu + demo presets)', ['SynthFashion/SynthFashion.yaml', 'SynthFashion/s2.yaml', 'presets/cpu.yaml', 'presets/demo.yaml'], args.embed_images[0]),
                           ('paper (ResNet-50 + ViT-B/16)', ['SynthFashion/SynthFashion.yaml', 'SynthFashion/s2.yaml'], args.embed_images[1])]:
        cfg = load_config(*files, opts=['DEVICE', 'cpu'])   # RPF(cfg) builds with random weights; nothing is loaded
        torch.manual_seed(0)
        emb = Embedder(RPF(cfg), cfg)
        ims = [Image.fromarray(np.random.default_rng(i).integers(0, 255, (256, 256, 3), dtype=np.uint8)) for i in range(n)]
        emb.embed(ims[:2], 0, progress=False)                                  # warm-up
        t0 = time.perf_counter()
        emb.embed(ims, 0, batch_size=min(n, 32), progress=False)
        dt = time.perf_counter() - t0
        print(f'| {name} | {cfg.INPUT.GLOBAL_SIZE} px global, {cfg.INPUT.LOCAL_SIZE} px crop | '
              f'{sum(p.numel() for p in emb.model.parameters()) / 1e6:.1f} M | {n / dt:.1f} |', flush=True)
print(f'\ntotal {time.perf_counter() - t_start:.0f} s')
