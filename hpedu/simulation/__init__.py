"""One simulator run, without any UI: what the app, the command line and the tests share.

- `settings`: `SimSettings` (what defines a run, class code included) and text helpers;
- `session`: `Simulation`, the engine's run stepped one trial at a time;
- `controller`: `RunController`, the state machine of stepping, playing, running to the end;
- `narration`: one line per trial; `views`: the look inside (next point included);
- `code`: the code that reproduces a run; `imports`: heavy modules imported by one thread.

Never imports Textual or Rich (tests/unit/test_import_boundary.py checks it).
"""

from .code import python_code, sklearn_code
from .controller import Job, RunController, RunState
from .imports import ensure_imports, modules_for
from .session import PeekView, Simulation, StepRecord
from .settings import ACQ_LABELS, ACQ_TERMS, METHOD_TERMS, SimSettings, fmt, format_params
from .views import HeatView, InsideView, Views, compute_views, coord, coords, distinct_values, important_dimension

__all__ = [
    "ACQ_LABELS", "ACQ_TERMS", "METHOD_TERMS", "HeatView", "InsideView", "Job", "PeekView", "RunController",
    "RunState", "SimSettings", "Simulation", "StepRecord", "Views", "compute_views", "coord", "coords",
    "distinct_values", "ensure_imports", "fmt", "format_params", "important_dimension", "modules_for",
    "python_code", "sklearn_code",
]
