"""The figures of `rpf_demo` runs side by side: what each demo option buys (mean over the seeds of each run's `metrics.json`).

    python benchmarks/demo_ablation.py runs/demo/metrics.json runs/other/metrics.json
    python benchmarks/demo_ablation.py benchmarks/results/demo_ablation_2026-12-04/*.json

Columns, ×100 unless noted: `rpf` test mAP; `rpf − rpf_region` on the placket (`placket` since SynthFashion 4.0, `button_count`
before) and print shape (mean, then each seed) and
overall (each seed); the pointing game with the peak placed where its cell looks and at the cell's centre (`pointing_grid`;
runs made before that key existed placed it at the centre); the share of test items whose crop holds ≥ 80 % of the true box,
per attribute; the median crop area of sleeve, neckline, hem, placket and print (% of the frame); the total seconds.
"""
from __future__ import annotations
import json, sys
from pathlib import Path
import numpy as np

def row(path: Path) -> dict:
    m = json.loads(Path(path).read_text())
    names, seeds = m['attribute_names'], list(m['rpf']['seeds'])
    placket = 'placket' if 'placket' in names else 'button_count'          # SynthFashion 4.0, or 3.1
    k = {a: names.index(a) for a in (placket, 'print_shape')}
    gain = lambda s, j: 100 * (m['rpf']['seeds'][s]['per_attribute'][j] - m['rpf_region']['seeds'][s]['per_attribute'][j])
    loc = m['localization']['rpf']
    per = lambda key: np.array([[a.get(key, a['pointing'] if key == 'pointing_grid' else None) for a in e['per_attribute']] for e in loc], float)
    small = [names.index(a) for a in ('sleeve_length', 'neckline_design', 'hem_length', placket, 'print_shape')]
    short = lambda ks: [names[j].split('_')[0] for j in ks]                  # sleeve, neckline, …, button (3.1) or placket (4.0)
    return {'run': Path(path).stem, 'data seed': m.get('data_seed', 0), 'rpf': 100 * m['rpf']['overall'],
            'labels': {'placket': short([k[placket]]), 'holds': short(range(len(names))), 'area': short(small)},
            'placket': [np.mean([gain(s, k[placket]) for s in seeds])] + [gain(s, k[placket]) for s in seeds],
            'print': [np.mean([gain(s, k['print_shape']) for s in seeds])] + [gain(s, k['print_shape']) for s in seeds],
            'overall': [100 * (m['rpf']['seeds'][s]['overall'] - m['rpf_region']['seeds'][s]['overall']) for s in seeds],
            'pointing': 100 * per('pointing').mean(), 'pointing_grid': 100 * per('pointing_grid').mean(),
            'holds': 100 * per('crop_covers').mean(0), 'area': 100 * per('crop_area_median').mean(0)[small],
            'seconds': m['seconds']['total']}

def markdown(rows: list[dict]) -> str:
    "The table of `rows`; the per-attribute columns are labelled with the attributes' names (`button` or `placket`: either)."
    f = lambda v: ' / '.join(f'{x:+.1f}' for x in v)
    either = lambda key: [' or '.join(dict.fromkeys(ws)) for ws in zip(*(r['labels'][key] for r in rows))]   # per column
    out = [f"| run | data seed | rpf | {either('placket')[0]}: rpf − rpf_region (mean; seeds) | print | overall, per seed | pointing "
           f"| at cell centres | crop holds ≥ 80 % of the box: {' / '.join(either('holds'))} "
           f"| median crop area, % of the frame: {' / '.join(either('area'))} | seconds |", '| :-- |' + ' --: |' * 10]
    for r in rows:
        out.append(f"| {r['run']} | {r['data seed']} | {r['rpf']:.2f} | {r['placket'][0]:+.1f} ({f(r['placket'][1:])}) | "
                   f"{r['print'][0]:+.1f} ({f(r['print'][1:])}) | {f(r['overall'])} | {r['pointing']:.1f} | {r['pointing_grid']:.1f} | "
                   f"{' / '.join(f'{x:.0f}' for x in r['holds'])} | {' / '.join(f'{x:.1f}' for x in r['area'])} | {r['seconds']:.0f} |")
    return '\n'.join(out)

if __name__ == '__main__':
    if len(sys.argv) < 2: sys.exit(__doc__)
    print(markdown([row(Path(p)) for p in sys.argv[1:]]))
