"""Stage 1 of the demo under training options that act on the attention: where the maps look, and how much the crop zooms.

    python benchmarks/attention_aids.py --json out.json \\
        --setting off \\
        --setting 'cells_0.3=SOLVER.AIDS.CELL_DROP 0.3' \\
        --setting 'tiles2_0.3=SOLVER.AIDS.CELL_DROP 0.3 SOLVER.AIDS.CELL_DROP_BLOCK 2'
    python benchmarks/attention_aids.py --show out.json        # the table of a finished run

Each `--setting NAME[=KEY VALUE ...]` trains the demo's stage 1 (the region branch, `rpf_demo`'s own configs, the
frozen-trunk feature cache built once for all settings) for each training seed with those config options added, keeps
the best validation checkpoint as `rpf_demo` does, and measures on the test split: the region mAP (overall and per
attribute), the pointing game, the share of items whose crop holds ≥ 80 % of the attribute's true box, and the median
crop area (`rpf.report.localization`). Stage 1 is where the attention is learned (stage 2 trains the region branch
10× slower), and it took 28–33 s a seed on two cores, about 1.5 minutes a setting for three seeds.
The crop threshold is the config's (`INPUT.THRESHOLD`, 0.1 in the demo). Run it from the repository's root (the default
SynthFashion folder is `rpf_demo`'s, under `data/`). Every setting's options are checked before any training, and the JSON
is written again after each setting, so an interrupted run keeps the settings it finished (`"complete": false`).
"""
from __future__ import annotations
import argparse, json, re, shlex, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np

def parse_setting(text: str) -> tuple[str, list[str]]:
    "'name=KEY VALUE KEY VALUE' -> (name, opts); a bare name has no options."
    name, _, rest = text.partition('=')
    opts = rest.split()
    if not re.fullmatch(r'[\w.-]+', name.strip()): raise SystemExit(f'--setting {text!r}: the name must be letters, digits, _ . or -')
    if len(opts) % 2: raise SystemExit(f'--setting {text!r}: options come in KEY VALUE pairs')
    return name.strip(), opts

def stage1(cache, data_root: Path, seed: int, opts: list[str], work: Path) -> dict:
    "Train stage 1 for one seed with `opts` and measure it on the test split."
    from rpf.demo import demo_configs, _trainer, _best, _split_features, _maps
    from rpf.evaluate import evaluate_features
    from rpf import report
    t0 = time.perf_counter()
    cfg = demo_configs(data_root, seed, ('cpu', 'demo'), opts)['s1']
    files, K = cache.files, len(cfg.DATA.ATTRIBUTES.NUM)
    shutil.rmtree(work, ignore_errors=True)
    tr = _trainer(cfg, cache, files=files, run_dir=work, progress=False)
    tr.fit(); model = _best(tr)
    q, c = _split_features(model, cfg, files, 'test', crop=False, cache=cache)
    per, overall = evaluate_features(q, c, 1.0, num_attributes=K)['region']
    loc = report.localization(model, cfg, files, 'test', maps=_maps(q, c))['per_attribute']
    return {'map': float(overall), 'per_attribute': [float(v) for v in per],
            **{k: [a[k] for a in loc] for k in ('pointing', 'crop_covers', 'crop_area_median')},
            'seconds': time.perf_counter() - t0}

def measure(settings: list[tuple[str, list[str]]], seeds=(0, 1, 2), data_seed: int = 0, data_dir: str | None = None,
            work: str | None = None, threads: int | None = None, save=None) -> dict:
    "Every setting for every seed; `save(results)` after each setting; scratch runs in a fresh folder (under `work`), removed at the end."
    import torch
    from rpf.demo import demo_configs, default_data_dir, prepare
    from rpf.synth import ATTRIBUTE_NAMES
    if threads: torch.set_num_threads(threads)
    data = Path(data_dir) if data_dir else default_data_dir(data_seed)
    base = ['DATA.DATASET', data.name]
    thresholds = {name: demo_configs(data.parent, seeds[0], ('cpu', 'demo'), [*base, *opts])['s1'].INPUT.THRESHOLD
                  for name, opts in settings}                          # every setting's options checked before any work
    data, base, cache, _ = prepare(data, data_seed, seed=seeds[0])      # SynthFashion and the trunk's features, as rpf_demo makes them
    out = {'data_seed': data_seed, 'data': str(data), 'seeds': list(seeds), 'attribute_names': list(ATTRIBUTE_NAMES),
           'threads': torch.get_num_threads(), 'complete': False, 'settings': {}}
    if work: Path(work).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix='rpf_attention_aids_', dir=work))   # only this folder is removed
    try:
        for name, opts in settings:
            runs = {}
            for s in seeds:
                runs[str(s)] = stage1(cache, data.parent, s, [*base, *opts], scratch / name / f'seed{s}')
                print(f"{name} seed {s}: mAP {100 * runs[str(s)]['map']:.1f} ({runs[str(s)]['seconds']:.0f} s)", flush=True)
            out['settings'][name] = {'opts': opts, 'threshold': thresholds[name], 'seeds': runs}
            if save: save(out)
        out['complete'] = True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out

def mean_over_seeds(setting: dict, key: str) -> np.ndarray:
    "The mean over seeds of one figure (a number, or a list per attribute)."
    return np.mean([np.asarray(r[key], np.float64) for r in setting['seeds'].values()], axis=0)

def show(m: dict) -> str:
    names = m['attribute_names']
    short = [n.split('_')[0] for n in names]
    lines = [f"data seed {m['data_seed']}, training seeds {m['seeds']}; mean over seeds, ×100",
             '', '| setting | options | mAP | ' + ' | '.join(f'{s} mAP' for s in short) + ' | ' +
             ' | '.join(f'{s} holds' for s in short) + ' | ' + ' | '.join(f'{s} area' for s in short) + ' |',
             '|' + ' :-- |' * 2 + ' --: |' * (1 + 3 * len(names))]
    for name, st in m['settings'].items():
        row = [f"{100 * mean_over_seeds(st, 'map'):.1f}"] + [f'{100 * v:.0f}' for v in mean_over_seeds(st, 'per_attribute')]
        row += [f'{100 * v:.0f}' for v in mean_over_seeds(st, 'crop_covers')]
        row += [f'{100 * v:.1f}' for v in mean_over_seeds(st, 'crop_area_median')]
        lines.append(f"| {name} | {' '.join(st['opts']) or '–'} | " + ' | '.join(row) + ' |')
    return '\n'.join(lines)

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--setting', action='append', default=[], help="NAME[=KEY VALUE ...]; repeat for several")
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--data-seed', type=int, default=0)
    ap.add_argument('--data', default=None, help='SynthFashion folder (default: rpf_demo\'s for the data seed)')
    ap.add_argument('--work', default=None, help='where the scratch run folder goes (default: the system temp folder); only that folder is removed')
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--json', default=None, help='write the results here')
    ap.add_argument('--show', nargs='*', default=None, help='print the tables of finished runs and stop')
    a = ap.parse_args(argv)
    if a.show is not None:
        if not a.show: ap.error('--show needs at least one results file')
        if a.setting: ap.error('--show prints finished runs: give it without --setting')
        for f in a.show: print(f'## {f}\n' + show(json.loads(Path(f).read_text())) + '\n')
        return 0
    if not a.setting: ap.error('give at least one --setting')
    if a.threads is not None and a.threads < 1: ap.error(f'--threads {a.threads}: must be at least 1')
    if len(set(a.seeds)) != len(a.seeds): ap.error(f'--seeds {a.seeds}: a seed is given twice')
    settings = [parse_setting(s) for s in a.setting]
    if len({n for n, _ in settings}) != len(settings): ap.error('two settings share a name')
    from _provenance import provenance
    run = {'command': shlex.join(['python', 'benchmarks/attention_aids.py', *(sys.argv[1:] if argv is None else argv)]),
           'provenance': provenance()}                                 # the commit, uncommitted changes, machine, versions
    def save(m):
        if a.json: Path(a.json).write_text(json.dumps({**m, **run}, indent=1) + '\n')
    m = measure(settings, a.seeds, a.data_seed, a.data, a.work, a.threads, save)
    save(m)
    print(show(m))
    return 0

if __name__ == '__main__': sys.exit(main())
