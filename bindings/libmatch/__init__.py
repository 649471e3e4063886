"""libmatch: sister-city partnership matching.

A thin Python layer over the C++ engine in ``libmatch._core``: the pandas
Pool layer, the matching algorithms on plain arrays (:mod:`libmatch.graph`)
and the exceptions the engine raises.
"""

from . import datasets, graph
from ._core import __version__
from ._errors import Cancelled, InputError, InputWarning, NoStableMatchingError

from . import pool
from .pool import COMPONENTS, INTERESTS, MatchResult, Pool, ScoringConfig, Weights
from .datasets import learned_config
from .learning import fit

__all__ = [
    "COMPONENTS",
    "Cancelled",
    "INTERESTS",
    "InputError",
    "InputWarning",
    "MatchResult",
    "NoStableMatchingError",
    "Pool",
    "ScoringConfig",
    "Weights",
    "__version__",
    "datasets",
    "fit",
    "graph",
    "learned_config",
    "pool",
]
