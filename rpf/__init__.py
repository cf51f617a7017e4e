__version__ = "0.1.0"

def __getattr__(name):
    "`rpf.load` (defined in `rpf.search`), imported on first use so that `import rpf` stays light."
    if name == 'load':
        from .search import load
        return load
    raise AttributeError(f"module 'rpf' has no attribute {name!r}")
