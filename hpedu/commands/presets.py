"""--preset for `hpedu simulate` and `hpedu compare`: a content preset fills
what the command line leaves out, as the app's Try it would open it."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["SIMULATE_DEFAULTS", "COMPARE_DEFAULTS", "apply_preset", "simulate_options", "compare_options",
           "objective_options"]


#: what simulate and compare use for an option given neither on the command line nor by a preset
SIMULATE_DEFAULTS: dict[str, Any] = {"method": "bayes", "budget": 30, "seed": 0}
COMPARE_DEFAULTS: dict[str, Any] = {"methods": "grid,random,bayes", "budget": 30, "seeds": 5, "seed": 0}


def _find_preset(args: argparse.Namespace) -> Any:
    """The preset named by --preset in the content folder of --content /
    HPEDU_CONTENT (or the bundled one); ValueError listing the valid ids."""
    from hpedu.cli import content_dir
    from hpedu.content import load_content

    content = load_content(content_dir(args))  # FileNotFoundError for a missing folder
    preset = content.presets.get(args.preset)
    if preset is not None:
        return preset
    known = ", ".join(sorted(content.presets)) or "none"
    if any(p.path.stem == args.preset and p.path.parent.name == "presets" for p in content.problems):
        raise ValueError(f"preset {args.preset!r} has problems ('hpedu check' lists them); valid presets: {known}")
    raise ValueError(f"unknown preset {args.preset!r}; valid presets: {known}")


def apply_preset(args: argparse.Namespace, command: str) -> None:
    """Fill what the command line left out of `args` from --preset, then from
    the defaults; ValueError when --objective is missing without a preset or the
    preset is unknown. The preset's options reach its own method (and its
    objective options its own objective) only; --option and
    --objective-option override them key by key. Compare takes the preset's
    methods (or its one method) and seeds, as the app's comparison view does."""
    defaults = SIMULATE_DEFAULTS if command == "simulate" else COMPARE_DEFAULTS
    args.preset_options, args.preset_objective_options = {}, {}
    preset_id = getattr(args, "preset", None)
    if preset_id is None:
        if args.objective is None:
            raise ValueError("--objective is required (see 'hpedu objectives'), or --preset ID to start from a preset")
        for key, value in defaults.items():
            if getattr(args, key) is None:
                setattr(args, key, value)
        return
    preset = _find_preset(args)
    args.preset_view = preset.view  # --watch opens the simulator looking inside for an "inside" preset
    given = {"objective": preset.objective, "budget": preset.budget, "seed": preset.seed}
    if command == "simulate":
        given["method"] = preset.method
    else:
        given["methods"] = ",".join(preset.methods or (preset.method,))
        given["seeds"] = preset.seeds
    for key, value in {**defaults, **given}.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.objective == preset.objective:
        args.preset_objective_options = dict(preset.objective_options)
    if not preset.options:
        return
    if command == "simulate" and args.method == preset.method:
        args.preset_options = dict(preset.options)
    elif command == "compare" and preset.method in [m.strip() for m in args.methods.split(",")]:
        args.preset_options = {preset.method: dict(preset.options)}


def objective_options(args: argparse.Namespace) -> dict[str, Any]:
    """The preset's objective options with --objective-option over them."""
    from .tuning import parse_pairs

    return {**getattr(args, "preset_objective_options", {}),
            **parse_pairs(args.objective_option, "--objective-option")}


def simulate_options(args: argparse.Namespace) -> dict[str, Any]:
    """The preset's method options with --option over them."""
    from .tuning import parse_pairs

    return {**getattr(args, "preset_options", {}), **parse_pairs(args.option, "--option")}


def compare_options(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Per method: the preset's options with --option METHOD.KEY=VALUE over them."""
    from .tuning import _method_options

    out = {m: dict(o) for m, o in getattr(args, "preset_options", {}).items()}
    for method, options in _method_options(args.option).items():
        out.setdefault(method, {}).update(options)
    return out
