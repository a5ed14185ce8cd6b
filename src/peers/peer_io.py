"""What the Python peers share: reading the float64 file modelbench writes, and saying when
scikit-learn cannot be imported (an 'unavailable' answer, not a crash)."""
import json
import sys

import numpy as np


def read_data(path, rows, cols):
    """ROWS*COLS float64 little-endian features (row-major), then ROWS labels."""
    raw = np.fromfile(path, dtype='<f8')
    return raw[: rows * cols].reshape(rows, cols), raw[rows * cols:]


def sklearn_or_unavailable():
    """The sklearn module, or None after printing the 'unavailable' answer."""
    try:
        import sklearn
        return sklearn
    except ImportError as e:
        print(json.dumps({"unavailable": f"scikit-learn is not importable by {sys.executable}: {e}"}))
        return None


def torch_or_unavailable(threads, seed):
    """The torch module set to `threads` threads and seeded, or None after printing the 'unavailable' answer."""
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"unavailable": f"PyTorch is not importable by {sys.executable}: {e}"}))
        return None
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    return torch
