"""Type stubs for libmatch._core, the C++ extension (use the libmatch package instead)."""

from typing import Optional, Sequence, Union

import numpy
import numpy.typing as npt

from ._errors import Cancelled as Cancelled
from ._errors import InputError as InputError
from ._errors import NoStableMatchingError as NoStableMatchingError

__version__: str

# --- register_errors.cpp / register_matching.cpp ----------------------------

_Preferences = Sequence[Sequence[int]]

def max_weight_matching(
    edges: npt.ArrayLike,
    weights: npt.ArrayLike,
    num_vertices: Optional[int] = None,
    max_cardinality: bool = False,
) -> numpy.ndarray: ...
def b_matching(
    edges: npt.ArrayLike,
    weights: npt.ArrayLike,
    capacity: Union[int, npt.ArrayLike],
) -> numpy.ndarray: ...
def hospitals_residents(
    resident_prefs: _Preferences,
    hospital_prefs: _Preferences,
    capacities: Union[int, npt.ArrayLike],
) -> numpy.ndarray: ...
def stable_roommates(prefs: _Preferences) -> numpy.ndarray: ...
def stable_fixtures(prefs: _Preferences, capacities: Union[int, npt.ArrayLike]) -> list[list[int]]: ...

# --- pool ---
# register_pool.cpp: configuration, the city table, seekers, the scorer and
# the candidate graph. libmatch.pool wraps these for pandas.

from typing import Any, Callable, Dict, List, Literal, Mapping, Iterable, Tuple

INTERESTS: Tuple[str, ...]
COMPONENTS: Tuple[str, ...]
REGIONS: Tuple[str, ...]

def country_codes() -> List[str]: ...
def country_regions() -> Dict[str, Tuple[str, str]]: ...

class Weights:
    population: float
    region: float
    language: float
    interests: float
    distance: float
    affinity: float
    activity: float
    def __init__(
        self,
        *,
        population: float = 1.0,
        region: float = 1.0,
        language: float = 1.0,
        interests: float = 1.0,
        distance: float = 0.0,
        affinity: float = 0.0,
        activity: float = 0.0,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...

class ScoringConfig:
    weights: Weights
    combination: Literal["arithmetic", "geometric"]
    geometric_floor: float
    population_sigma: float
    population_shape: float
    population_range: Literal["hard", "soft"]
    continent_credit: float
    distance_preference: Literal["near", "far", "inverse"]
    distance_scale_km: float
    reciprocity: Literal["geometric_mean", "arithmetic_mean", "minimum", "seeker_only"]
    country_pairs: List[Tuple[str, str, float]]
    affinity_prior: float
    activity_size_exponent: float
    activity_size_scale: float
    activity_prior_strength: float
    activity_half: float
    exclude_known_partners: bool
    compare_sovereign_states: bool
    def __init__(
        self,
        *,
        weights: Optional[Weights] = None,
        population_sigma: float = 1.0,
        population_range: str = "hard",
        continent_credit: float = 0.5,
        distance_preference: str = "near",
        distance_scale_km: float = 2000.0,
        reciprocity: str = "geometric_mean",
        combination: str = "arithmetic",
        geometric_floor: float = 0.01,
        population_shape: float = 2.0,
        country_pairs: Sequence[Tuple[str, str, float]] = ...,
        affinity_prior: float = 1.0,
        activity_size_exponent: float = 0.36,
        activity_size_scale: float = 1.0,
        activity_prior_strength: float = 1.0,
        activity_half: float = 5.0,
        exclude_known_partners: bool = True,
        compare_sovereign_states: bool = True,
    ) -> None: ...
    def validate(self) -> None: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> ScoringConfig: ...
    def to_dict(self) -> Dict[str, Any]: ...
    @staticmethod
    def from_dict(document: Mapping[str, Any]) -> ScoringConfig: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> ScoringConfig: ...
    def __eq__(self, other: object) -> bool: ...

class CityTable:
    @staticmethod
    def from_columns(
        ids: npt.ArrayLike,
        names: Sequence[Optional[str]],
        countries: Sequence[Optional[str]],
        regions: Sequence[Optional[str]],
        latitude: npt.ArrayLike,
        longitude: npt.ArrayLike,
        population: npt.ArrayLike,
        languages: Sequence[Optional[Sequence[Tuple[str, float]]]],
        interests: Sequence[Optional[Sequence[Tuple[str, float]]]],
        partner_a: npt.ArrayLike = ...,
        partner_b: npt.ArrayLike = ...,
    ) -> CityTable: ...
    def __len__(self) -> int: ...
    @property
    def partnership_count(self) -> int: ...
    @property
    def ids(self) -> numpy.ndarray: ...
    @property
    def regions(self) -> List[str]: ...
    @property
    def countries(self) -> List[str]: ...
    def row_of(self, id: int) -> Optional[int]: ...

class Seekers:
    def __init__(self, pool: CityTable, profiles: Iterable[Mapping[str, Any]]) -> None: ...
    @staticmethod
    def from_ids(pool: CityTable, ids: numpy.ndarray) -> Seekers: ...
    def __len__(self) -> int: ...
    @property
    def ids(self) -> numpy.ndarray: ...
    @property
    def warnings(self) -> List[Dict[str, Any]]: ...

class CandidateLists:
    def __len__(self) -> int: ...
    def columns(self) -> Dict[str, numpy.ndarray]: ...

class Scorer:
    def __init__(self, seekers: Seekers, config: ScoringConfig = ...) -> None: ...
    @property
    def config(self) -> ScoringConfig: ...
    def candidates(
        self,
        k: int = 10,
        threads: int = 0,
        progress: Optional[Callable[[int, int], Optional[bool]]] = None,
        seeker_tile: int = 64,
        pool_tile: int = 2048,
    ) -> CandidateLists: ...
    def explain(self, a: int, b: int) -> Dict[str, Any]: ...

class CandidateGraph:
    def __init__(self, lists: CandidateLists, *, mutual: bool = False, pool_capacity: int = 1) -> None: ...
    @property
    def vertex_count(self) -> int: ...
    @property
    def edge_count(self) -> int: ...
    def edges(self) -> Dict[str, numpy.ndarray]: ...
    def vertices(self) -> Dict[str, numpy.ndarray]: ...
    def graphml(self) -> str: ...
    def match(self, method: str = "optimal", blocking_pairs_shown: int = 10) -> Dict[str, Any]: ...
