"""Compute the landscapes shipped with the package (run by hand, before a release).

    python -m hpedu.tuning.landscape_build            # every bundled model
    python -m hpedu.tuning.landscape_build svc-digits # only these

For each bundled real-model objective it trains the landscape the app draws
(its first two parameters, the default grid, the others at the centre of
their range) with the installed scikit-learn, and writes it to
`hpedu/tuning/_landscapes/<objective>-sklearn<version>-<key hash>.npz`
(compressed; the key inside says what the values depend on). Files of other
scikit-learn versions are kept, so several versions can be shipped side by
side; `--prune` removes the files of this objective that no longer match
(for example after its spec changed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .landscape import SHIPPED_DIR, default_axes, evaluate_landscape, shipped_path
from .objectives import get_objective
from .objectives.models import MODEL_SPECS

__all__ = ["build", "main"]


def build(name: str, directory: Path = SHIPPED_DIR, *, prune: bool = False, quiet: bool = False) -> Path:
    """Train and write the shipped landscape of model objective `name`; returns the file."""
    objective = get_objective(name)
    x_name, y_name = default_axes(objective)
    found = shipped_path(objective, x_name, y_name, directory=directory)
    if found is None:
        raise ValueError(f"{name!r}: no shipped landscape possible (not a bundled model, or scikit-learn is missing)")
    path, key = found
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not quiet and (done == total or done % 12 == 0):
            print(f"\r{name}: {done}/{total}", end="", file=sys.stderr, flush=True)

    land = evaluate_landscape(objective, x_name, y_name, progress=progress, cache=False, shipped=False)
    if not quiet:
        print(f"\r{name}: {land.z.size} points in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.stem + ".", suffix=".tmp.npz", dir=directory)
    with os.fdopen(fd, "wb") as fh:
        np.savez_compressed(fh, key=np.array(key), z=land.z)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; an installed copy must be readable by everyone
    os.replace(tmp, path)
    if prune:
        version = path.name[len(name) + len("-sklearn"):].rsplit("-", 1)[0]
        for old in directory.glob(f"{name}-sklearn{version}-*.npz"):
            if old != path:
                old.unlink()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hpedu.tuning.landscape_build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("objectives", nargs="*", metavar="OBJECTIVE",
                        help=f"model objectives to build (default: all of {', '.join(MODEL_SPECS)})")
    parser.add_argument("--directory", type=Path, default=SHIPPED_DIR, help="where to write (default: the package)")
    parser.add_argument("--prune", action="store_true",
                        help="remove this scikit-learn version's older files of the same objective")
    args = parser.parse_args(argv)
    unknown = [n for n in args.objectives if n not in MODEL_SPECS]
    if unknown:
        parser.error(f"not a bundled model objective: {', '.join(unknown)}; choose from: {', '.join(MODEL_SPECS)}")
    for name in args.objectives or list(MODEL_SPECS):
        path = build(name, args.directory, prune=args.prune)
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


#: numpy is loaded before this module runs (hpedu.tuning imports it), too late
#: for the app's settings (one BLAS thread, pinned kernels: hpedu/arithmetic.py),
#: so `python -m` starts a fresh interpreter that makes them first, as `hpedu` does
_CHILD = ("import sys; from hpedu.cli import prepare_numpy; prepare_numpy(); "
          "from hpedu.tuning.landscape_build import main; sys.exit(main(sys.argv[1:]))")

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-c", _CHILD, *sys.argv[1:]])
