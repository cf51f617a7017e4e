"""The crop threshold t of the demo: what a lower or higher t buys, measured on whole trained models.

    python benchmarks/crop_threshold.py --train-threshold 0.1 --json out_t010.json     # train at t (3 seeds), evaluate at every t
    python benchmarks/crop_threshold.py --show out_t010.json out_t005.json             # the tables of finished runs
    python benchmarks/crop_threshold.py --json out_t010.json --resweep                 # redo the finer sweep only

For each training seed, `rpf.demo.run_seed` trains the demo's methods with the crop threshold `INPUT.THRESHOLD` set to
`--train-threshold` (the shipped demo trains at 0.1, as every released config). Then the stage-2 model is evaluated with its
crops cut at each threshold of `--eval-thresholds`: the validation and test mAP of `rpf` (β as `rpf_demo` chose it on the
validation split) and of `rpf_patch`, and on the test split the share of items whose crop holds ≥ 80 % of the attribute's
true box and the median crop area. The region feature does not depend on t. Every figure is the mean over the seeds.
A finer sweep of the zoom alone (`FINE_THRESHOLDS`, the test split, no mAP) shows at which t, if any, each attribute meets
both zoom targets (its crops hold ≥ 80 % of the box for ≥ 70 % of the items, and, for the parts in `ZOOMED`, the median
crop is ≤ 35 % of the frame). The stage-2 checkpoints stay in `--work`; `--resweep` runs the finer sweep again on them
(the training threshold and data seed are the JSON's) and writes it into `--json`.
"""
from __future__ import annotations
import argparse, json, shutil, sys, time
from pathlib import Path
import numpy as np

EVAL_THRESHOLDS = (0.2, 0.1, 0.05, 0.02, 0.01)
FINE_THRESHOLDS = (0.2, 0.1, 0.05, 0.03, 0.02, 0.016, 0.012, 0.01, 0.005)   # 255·t: levels above 51, 25, 12, 7, 5, 4, 3, 2, 1
ZOOMED = ('sleeve_length', 'neckline_design', 'hem_length', 'placket', 'button_count', 'print_shape')   # parts: their crop must zoom (colour, pattern:
# the whole garment); the placket is `placket` since SynthFashion 4.0, `button_count` before

def _setup(train_threshold: float, seeds, data_seed: int, data_dir: str | None):
    "SynthFashion and the trunk's feature cache, as `rpf_demo` makes them (`rpf.demo.prepare`): `(data, opts, cache)`."
    from rpf.demo import prepare
    data, opts, cache, _ = prepare(data_dir or None, data_seed, opts=['INPUT.THRESHOLD', str(train_threshold)], seed=seeds[0])
    return data, opts, cache

def fine_sweep(model, cfg, files, cache) -> dict:
    "The zoom of the test split at each of `FINE_THRESHOLDS`: `{t: {'covers': [per attribute], 'area': [per attribute]}}`."
    from rpf.demo import threshold_sweep
    sw = threshold_sweep(model, cfg, files, 'test', thresholds=FINE_THRESHOLDS, cache=cache)
    return {t: {'covers': [a['crop_covers'] for a in v['per_attribute']], 'area': [a['crop_area_median'] for a in v['per_attribute']]}
            for t, v in sw.items()}

def resweep(m: dict, seeds=(0, 1, 2), data_dir: str | None = None, work: str = '/tmp/rpf_crop_threshold') -> dict:
    "Run `fine_sweep` again on the stage-2 checkpoints that `measure` left in `work`, and put it into `m`."
    from rpf.checkpoint import load_checkpoint
    from rpf.demo import demo_configs
    from rpf.weights import build_model
    from rpf.aids import is_aid_key
    data, opts, cache = _setup(m['train_threshold'], seeds, m['data_seed'], data_dir)
    for s in seeds:
        cfg = demo_configs(data.parent, s, ('cpu', 'demo'), opts)['s2']
        run = Path(work) / f"t{m['train_threshold']}" / f'seed{s}' / 'stage2'
        path = run / 'model_best.pth.tar' if (run / 'model_best.pth.tar').exists() else run / 'checkpoint.pth.tar'
        model = build_model(cfg, pretrained=False)
        model.load_state_dict({k: v for k, v in load_checkpoint(path)['model'].items() if not is_aid_key(k)})
        m['seeds'][str(s)]['fine_sweep'] = fine_sweep(model.eval(), cfg, cache.files, cache)
    return m

def measure(train_threshold: float, seeds=(0, 1, 2), data_seed: int = 0, eval_thresholds=EVAL_THRESHOLDS,
            data_dir: str | None = None, work: str = '/tmp/rpf_crop_threshold') -> dict:
    import torch
    from rpf.config import load_config
    from rpf.demo import run_seed, _split_features, _maps
    from rpf.evaluate import evaluate_features
    from rpf import report
    data, opts, cache = _setup(train_threshold, seeds, data_seed, data_dir)
    shutil.rmtree(Path(work) / f't{train_threshold}', ignore_errors=True)   # this script's scratch runs: start each measurement afresh
    out = {'train_threshold': train_threshold, 'data_seed': data_seed, 'threads': torch.get_num_threads(), 'seeds': {}}
    for s in seeds:
        t0 = time.perf_counter()
        r = run_seed(data.parent, Path(work) / f't{train_threshold}', s, opts=opts, progress=False, cache=cache, sweep=False)
        m2, files, K, beta = r['models']['stage2'], r['files'], len(r['cfgs']['s2'].DATA.ATTRIBUTES.NUM), r['beta']
        res = {'beta': beta, 'attribute_names': list(r['cfgs']['s2'].DATA.ATTRIBUTES.NAME),
               'rpf_region_test': r['metrics']['rpf_region']['per_attribute'] + [r['metrics']['rpf_region']['overall']],
               'train_seconds': time.perf_counter() - t0, 'eval': {}}
        for t in eval_thresholds:
            cfg = load_config(r['cfgs']['s2'], opts=['INPUT.THRESHOLD', str(t)])
            e = {}
            for split in ('valid', 'test'):
                q, c = _split_features(m2, cfg, files, split, crop=True, cache=cache)
                kinds = evaluate_features(q, c, beta, num_attributes=K)
                e[split] = {name: [float(x) for x in kinds[kind][0]] + [float(kinds[kind][1])] for name, kind in (('rpf', 'joint'), ('rpf_patch', 'patch'))}
                if split == 'test':
                    loc = report.localization(m2, cfg, files, 'test', maps=_maps(q, c))
                    e['covers'] = [a['crop_covers'] for a in loc['per_attribute']]
                    e['area'] = [a['crop_area_median'] for a in loc['per_attribute']]
            res['eval'][str(t)] = e
        res['fine_sweep'] = fine_sweep(m2, r['cfgs']['s2'], files, cache)
        out['seeds'][str(s)] = res
        print(f'seed {s}: {time.perf_counter() - t0:.0f} s', file=sys.stderr, flush=True)
    return out

def placket_of(names) -> str:
    "The placket's attribute: `placket` (SynthFashion 4.0) or `button_count` (3.1)."
    return 'placket' if 'placket' in names else 'button_count'

def rows(m: dict) -> list[dict]:
    "One row per evaluation threshold: means over the seeds, ×100."
    seeds = list(m['seeds'].values()); names = seeds[0]['attribute_names']
    small = [names.index(a) for a in ZOOMED if a in names]
    b, p = names.index(placket_of(names)), names.index('print_shape')
    mean = lambda f: float(np.mean([f(s) for s in seeds]))
    out = []
    for t in seeds[0]['eval']:
        e = lambda s: s['eval'][t]
        out.append({'train t': m['train_threshold'], 'eval t': float(t), 'names': names,
                    'valid rpf': 100 * mean(lambda s: e(s)['valid']['rpf'][-1]), 'test rpf': 100 * mean(lambda s: e(s)['test']['rpf'][-1]),
                    'valid rpf_patch': 100 * mean(lambda s: e(s)['valid']['rpf_patch'][-1]),
                    'button gain': 100 * mean(lambda s: e(s)['test']['rpf'][b] - s['rpf_region_test'][b]),
                    'print gain': 100 * mean(lambda s: e(s)['test']['rpf'][p] - s['rpf_region_test'][p]),
                    'holds': [100 * mean(lambda s: e(s)['covers'][k]) for k in range(len(names))],
                    'area': [100 * mean(lambda s: e(s)['area'][k]) for k in small]})
    return out

def fine_rows(m: dict) -> list[dict]:
    "The finer sweep of the zoom, means over the seeds, ×100: one row per threshold; `holds` and `area` for every attribute."
    seeds = list(m['seeds'].values())
    return [{'t': float(t), 'holds': [100 * float(np.mean([s['fine_sweep'][t]['covers'][k] for s in seeds])) for k in range(len(seeds[0]['attribute_names']))],
             'area': [100 * float(np.mean([s['fine_sweep'][t]['area'][k] for s in seeds])) for k in range(len(seeds[0]['attribute_names']))]}
            for t in seeds[0]['fine_sweep']]

def fine_caption(m: dict) -> str:
    return f"The zoom of the test split at more thresholds, models trained at t = {m['train_threshold']} (mean over the seeds):"

def fine_markdown(m: dict) -> str:
    "The finer sweep: per attribute, % of test items whose crop holds ≥ 80 % of the box, and for the `ZOOMED` parts the median crop area (% of the frame)."
    names = list(m['seeds'].values())[0]['attribute_names']
    out = ['| t | ' + ' | '.join(f'{n}: holds / area' if n in ZOOMED else f'{n}: holds' for n in names) + ' |', '| --: |' + ' --: |' * len(names)]
    for r in fine_rows(m):
        out.append(f"| {r['t']} | " + ' | '.join(f'{h:.0f} / {a:.1f}' if n in ZOOMED else f'{h:.0f}' for n, h, a in zip(names, r['holds'], r['area'])) + ' |')
    return '\n'.join(out)

def markdown(all_rows: list[dict]) -> str:
    "The table of `rows`: mAP ×100 on the validation and test splits, the patches' gain on the test split, the zoom on the test split."
    short = lambda ns: ' / '.join(n.split('_')[0] for n in ns)
    r0 = all_rows[0]
    placket = placket_of(r0['names']).replace('_', ' ')
    out = [f'| train t | eval t | valid rpf | test rpf | valid rpf_patch | {placket}: rpf − rpf_region (test) | print shape: rpf − rpf_region (test) '
           f"| % of test items whose crop holds ≥ 80 % of the box: {short(r0['names'])} | median crop, % of the frame: "
           f"{short([n for n in ZOOMED if n in r0['names']])} |",
           '|' + ' --: |' * 9]
    for r in all_rows:
        out.append(f"| {r['train t']} | {r['eval t']} | {r['valid rpf']:.2f} | {r['test rpf']:.2f} | {r['valid rpf_patch']:.2f} | "
                   f"{r['button gain']:+.1f} | {r['print gain']:+.1f} | {' / '.join(f'{x:.0f}' for x in r['holds'])} | "
                   f"{' / '.join(f'{x:.1f}' for x in r['area'])} |")
    return '\n'.join(out)

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--train-threshold', type=float, default=0.1)
    ap.add_argument('--eval-thresholds', type=float, nargs='+', default=list(EVAL_THRESHOLDS))
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--data-seed', type=int, default=0)
    ap.add_argument('--data', default=None, help='SynthFashion folder (default: where rpf_demo keeps it)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--json', default=None, help='write the measurements here')
    ap.add_argument('--work', default='/tmp/rpf_crop_threshold', help='where the runs are trained (their checkpoints stay there)')
    ap.add_argument('--show', nargs='+', default=None, help='print the tables of these finished measurements and stop')
    ap.add_argument('--resweep', action='store_true', help='only run the finer sweep again, on the checkpoints in --work, into --json (its training threshold and data seed are used)')
    a = ap.parse_args(argv)
    if a.show:
        ms = [json.loads(Path(f).read_text()) for f in a.show]
        print(markdown([r for m in ms for r in rows(m)]))
        for m in ms: print(f"\n{fine_caption(m)}\n\n{fine_markdown(m)}")
        return 0
    import torch; torch.set_num_threads(a.threads)
    if a.resweep:
        if not a.json: ap.error('--resweep needs --json')
        m = resweep(json.loads(Path(a.json).read_text()), a.seeds, a.data, a.work)
    else:
        m = measure(a.train_threshold, a.seeds, a.data_seed, a.eval_thresholds, a.data, a.work)
    if a.json:
        from _provenance import provenance
        m['provenance'] = provenance()        # of this run (a --resweep replaces the one of the run it sweeps again)
        Path(a.json).write_text(json.dumps(m, indent=1))
    print(markdown(rows(m)) + '\n\n' + fine_caption(m) + '\n\n' + fine_markdown(m))
    return 0

if __name__ == '__main__': sys.exit(main())
