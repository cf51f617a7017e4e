"""RPF — *From Region to Patch: Attribute-Aware Foreground-Background Contrastive Learning for
Fine-Grained Fashion Retrieval* (Dong et al., SIGIR 2023) — as a notebook-first PyTorch package.

The names a user needs are here, imported on first use (so `import rpf` stays light: it does not
import torch):

- configs: `load_config`, `Config`, `preset_path`
- data: `DatasetFiles`, `triplet_loader`, `eval_loader`, `generate_synthfashion` (the SynthFashion generator)
- model: `RPF`, `RegionBranch`, `PatchBranch`, `attention_crop`, `joint_embedding`, `build_model`, `load_course_model` (the small trained demo model the notebooks show)
- losses: `triplet_loss`, `fb_contrastive_loss`, `rpf_losses`
- training: `train_stage` (the plain loop), `Trainer` (the engine: resume, checkpoints, signals)
- evaluation: `average_precision`, `attribute_map` (mAP), `random_baseline_map`, `extract_features`, `evaluate_features`
- localisation: `localization` (pointing game, crop coverage)
- using a trained model: `load`, `Embedder`, `RetrievalIndex`, `import_catalogue`, `export_model`, `export_onnx`

Every module is reachable as an attribute too (`rpf.evaluate`, `rpf.crop`, …). Example::

    import rpf
    cfg = rpf.load_config('SynthFashion/SynthFashion.yaml', 'SynthFashion/s1.yaml', rpf.preset_path('tiny'))
    model = rpf.RPF(cfg)
"""
__version__ = "0.1.0"

import importlib, pkgutil

# public name -> (module that defines it today, name there). When a name moves to another module,
# only its line here changes.
_LAZY = {
    # configs (00_config)
    'load_config': ('config', 'load_config'),
    'Config': ('config', 'Config'),
    'preset_path': ('config', 'preset_path'),
    # data (01_data, 02_synth)
    'DatasetFiles': ('data', 'DatasetFiles'),
    'triplet_loader': ('data', 'triplet_loader'),
    'eval_loader': ('data', 'eval_loader'),
    'generate_synthfashion': ('synth_engine', 'generate'),
    # model (03_region, 04_crop, 05_patch, 06_model, 92_weights)
    'RPF': ('model', 'RPF'),
    'RegionBranch': ('region', 'RegionBranch'),
    'PatchBranch': ('patch', 'PatchBranch'),
    'attention_crop': ('crop', 'attention_crop'),
    'joint_embedding': ('model', 'joint_embedding'),
    'build_model': ('weights', 'build_model'),
    'load_course_model': ('weights', 'load_course_model'),
    # losses (07_losses)
    'triplet_loss': ('losses', 'triplet_loss'),
    'fb_contrastive_loss': ('losses', 'fb_contrastive_loss'),
    'rpf_losses': ('losses', 'rpf_losses'),
    # training (08_train)
    'train_stage': ('train', 'train_stage'),
    'Trainer': ('trainer', 'Trainer'),
    # evaluation (09_evaluate, 98_report)
    'average_precision': ('evaluate', 'average_precision'),
    'attribute_map': ('evaluate', 'attribute_map'),
    'random_baseline_map': ('evaluate', 'random_baseline_map'),
    'extract_features': ('evaluate', 'extract_features'),
    'evaluate_features': ('evaluate', 'evaluate_features'),
    'localization': ('report', 'localization'),
    # using a trained model (11_catalogue)
    'load': ('search', 'load'),
    'Embedder': ('search', 'Embedder'),
    'RetrievalIndex': ('search', 'RetrievalIndex'),
    'import_catalogue': ('catalogue', 'import_catalogue'),
    'export_model': ('export', 'export_model'),
    'export_onnx': ('export', 'export_onnx'),
}

_MODULES = frozenset(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith('_'))   # rpf.evaluate, …

__all__ = list(_LAZY)

def __getattr__(name):
    "Import a public name (or a submodule) on first use, so that `import rpf` stays light."
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f'.{module}', __name__), attr)
        globals()[name] = value                      # later look-ups skip this function
        return value
    if name in _MODULES: return importlib.import_module(f'.{name}', __name__)
    raise AttributeError(f"module 'rpf' has no attribute {name!r}")

def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_MODULES))
