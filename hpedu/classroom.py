"""Class codes: one short code makes every simulation seed the same for a whole class.

`run_seeds(seed, count, class_code)` is the one place where the seeds of a
run or a comparison are decided; the command line (simulate, compare,
exercises), presets and the app all call it (directly or through
`class_seed` / `preset_seeds`). Without a class code the seeds are `seed,
seed+1, ..., seed+count-1`. With a class code, each of those seeds `s`
becomes `derive_seed(code, f"seed:{s}")`: SHA-256 of the code and the key, so
the result is the same on every machine and every Python (the built-in
`hash()` is salted per process and would not be). Codes are compared without
regard to case, so `Stats-101` and `stats-101` give the same runs.

Pure: the standard library only.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .content.model import Preset

__all__ = [
    "CLASS_CODE_PATTERN",
    "MAX_SEED",
    "check_class_code",
    "class_seed",
    "class_seeds",
    "derive_seed",
    "preset_seeds",
    "run_seeds",
]

CLASS_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_SEED = 2**31 - 1  # derived seeds stay in 0..MAX_SEED (fine for numpy and scikit-learn)


def check_class_code(code: str) -> str:
    """`code` stripped of surrounding spaces; ValueError says what a code may contain."""
    if not isinstance(code, str):
        raise ValueError(f"a class code must be text, got {code!r}")
    stripped = code.strip()
    if not CLASS_CODE_PATTERN.match(stripped):
        raise ValueError(
            f"invalid class code {code!r}: use 1 to 32 letters, digits, '-' or '_' (for example 'stats-101')"
        )
    return stripped


def derive_seed(class_code: str, key: str) -> int:
    """A seed in 0..MAX_SEED from the class code and a key, stable across machines."""
    code = check_class_code(class_code).casefold()
    digest = hashlib.sha256(f"hpedu-class-code\x00{code}\x00{key}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % (MAX_SEED + 1)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    return seed


def run_seeds(seed: int, count: int, class_code: str | None = None) -> list[int]:
    """The seeds `count` runs use, starting from `seed`: `seed, seed+1, ...`
    without a class code; with one, each of those derived from the code
    (distinct: a rare collision moves to the next free seed).

    Every simulation hpedu runs takes its seeds from here: `hpedu simulate`
    (count 1), `hpedu compare --seed S --seeds K`, presets, exercises and the
    app's simulator and comparison. ValueError for a seed outside
    0..MAX_SEED or a count below 1.
    """
    _check_seed(seed)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a whole number >= 1, got {count!r}")
    if not class_code:
        return list(range(seed, seed + count))
    out: list[int] = []
    taken: set[int] = set()
    for s in range(seed, seed + count):
        derived = derive_seed(class_code, f"seed:{s}")
        while derived in taken:
            derived = (derived + 1) % (MAX_SEED + 1)
        taken.add(derived)
        out.append(derived)
    return out


def class_seed(class_code: str | None, seed: int) -> int:
    """The seed one run uses: `seed` itself without a class code, else derived
    from the code (`run_seeds(seed, 1, class_code)`). The simulator calls this
    when a learner picks a seed."""
    return run_seeds(seed, 1, class_code)[0]


def class_seeds(class_code: str | None, seeds: Iterable[int]) -> list[int]:
    """`class_seed` for each of a list of seeds, kept distinct (a rare
    collision moves to the next free seed). For consecutive seeds use `run_seeds`."""
    out: list[int] = []
    taken: set[int] = set()
    for s in seeds:
        derived = class_seed(class_code, s)
        while derived in taken:
            derived = (derived + 1) % (MAX_SEED + 1)
        taken.add(derived)
        out.append(derived)
    return out


def preset_seeds(preset: "Preset", class_code: str | None = None) -> list[int]:
    """The seeds a preset runs with: one for a single run, `preset.seeds` for
    a comparison, starting at `preset.seed` (`run_seeds`), exactly as
    `hpedu compare --seed S --seeds K`."""
    count = preset.seeds if preset.methods else 1
    return run_seeds(preset.seed, count, class_code)
