"""Class codes: one short code makes every simulation seed the same for a whole class.

With a class code, a seed `s` (a preset's seed, or one a learner picks)
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


def class_seed(class_code: str | None, seed: int) -> int:
    """The seed to run with: `seed` itself without a class code, else derived from the code."""
    if not class_code:
        return seed
    return derive_seed(class_code, f"seed:{seed}")


def class_seeds(class_code: str | None, seeds: Iterable[int]) -> list[int]:
    """`class_seed` for each seed, kept distinct (a rare collision moves to the next free seed)."""
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
    """The seeds a preset runs with: one for a single run, `preset.seeds` for a comparison.

    Without a class code a comparison uses seeds `seed, seed+1, ...`
    (0..K-1 for the usual seed 0), exactly as `hpedu compare --seeds K`.
    """
    count = preset.seeds if preset.methods else 1
    return class_seeds(class_code, range(preset.seed, preset.seed + count))
