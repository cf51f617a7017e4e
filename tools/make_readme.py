"""Write README.md from nbs/index.ipynb (Quarto, which nbdev_readme needs, cannot be installed here).

Markdown cells are copied; a code cell's source is dropped unless it is tagged `#| echo: true`; its
text/markdown or text/plain output is kept, and image outputs are saved under nbs/images/.
`python tools/make_readme.py --check` exits 1 when README.md is not what index.ipynb gives.
"""
import base64, sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

def render(nb_path=ROOT / 'nbs' / 'index.ipynb') -> str:
    nb = nbformat.read(nb_path, as_version=4)
    parts = []
    for i, cell in enumerate(nb.cells):
        src = cell.source
        if cell.cell_type == 'markdown':
            parts.append(src.replace('](images/', '](nbs/images/'))
            continue
        lines = src.splitlines()
        if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
        if any(l.strip().replace(' ', '') == '#|echo:true' for l in lines):
            parts.append('```python\n' + '\n'.join(l for l in lines if not l.startswith('#|')) + '\n```')
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if 'image/png' in data:
                name = f'index_{i}.png'
                (ROOT / 'nbs' / 'images').mkdir(exist_ok=True)
                png = base64.b64decode(data['image/png'])
                target = ROOT / 'nbs' / 'images' / name
                if not target.exists() or target.read_bytes() != png: target.write_bytes(png)
                parts.append(f'![](nbs/images/{name})')
            elif 'text/markdown' in data: parts.append(data['text/markdown'])
            elif out.get('output_type') == 'stream': parts.append('```\n' + out['text'].rstrip() + '\n```')
            elif 'text/plain' in data: parts.append('```\n' + data['text/plain'] + '\n```')
    return '\n\n'.join(p.strip('\n') for p in parts) + '\n'

if __name__ == '__main__':
    text = render()
    readme = ROOT / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit('README.md is out of date: run `python tools/make_readme.py` (it is written from nbs/index.ipynb)')
    else: readme.write_text(text)
