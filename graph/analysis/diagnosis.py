"""A diagnosis of the regional innovation system: where it fails, in plain words.

The indicators follow the literature on regional innovation-system failures:

- **organisational thinness** (Tödtling & Trippl 2005, "One size fits all? Towards a
  differentiated regional innovation policy approach", Research Policy 34: 1203–1219): too few
  actors of a kind — no university, no business support — in a strength area;
- **fragmentation** (ibid.; a *weak network failure* in Klein Woolthuis, Lankhuizen & Gilsing
  2005, "A system failure framework for innovation policy design", Technovation 25: 609–619):
  separate parts, the share outside the largest part, modularity, the E-I index of helices;
- **lock-in** (Tödtling & Trippl 2005; a *strong network failure* in Klein Woolthuis et al.
  2005): few ties leaving the home region, and much of the network hanging on one broker;
- **support reach**: the share of clusters, co-working spaces and companies with a path to a
  support actor, and their median distance.

Each scope — the whole network (``(all)``) and every strength area — is judged on its own
network: its actors and the ties among them. Thinness counts actors (none / one / several);
modularity is judged against the published rule of thumb that values above about 0.3 mean a
marked community structure (Newman & Girvan 2004, "Finding and evaluating community structure
in networks", Phys. Rev. E 69: 026113). Every other indicator is compared with the same
indicator on degree-preserving random networks of the scope (``graph.analysis.significance``):
weak when it is worse than 95 % of them, the reference being their mean.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components

from graph.analysis.network import edges_frame, nodes_frame
from graph.analysis.significance import NullModelParams, null_graphs
from graph.analysis.support import DEFAULT_SUPPORT_KINDS, DEFAULT_TARGET_KINDS
from graph.store.config import DEFAULT_HOME_REGION
from graph.store.tables import HELICES

__all__ = ["DIAGNOSIS_VERDICTS", "WHOLE", "DiagnosisParams", "diagnose"]

WHOLE = "(all)"
DIAGNOSIS_VERDICTS = ("weak", "watch", "sound", "not_judged")
MODULARITY_THRESHOLD = 0.3  # Newman & Girvan (2004)
TOP_BROKER_SOURCES = 64  # sampled sources of betweenness above EXACT_BROKER_LIMIT actors
EXACT_BROKER_LIMIT = 2000

THINNESS = "organisational thinness"
FRAGMENTATION = "fragmentation"
LOCK_IN = "lock-in"
REACH = "support reach"

# Every text a person reads, in one place (for the Swedish and English catalogues).
TEXTS = {
    "none": "No {what} in {scope}: {failure} (Tödtling & Trippl 2005).",
    "one": "Only one {what} in {scope} ({names}): it is thin; everything of its kind hangs "
    "on that actor.",
    "several": "{n} {what} in {scope}.",
    "too_small": "{scope} has {n} actors and {m} ties: too few to judge {what}.",
    "parts": "{scope} falls into {value:.0f} separate parts; random networks with the same "
    "numbers of ties give {ref:.1f} (90 % of them {low:.0f}–{high:.0f}).",
    "outside": "{value:.0%} of the actors of {scope} are outside its largest part; random "
    "networks with the same numbers of ties give {ref:.0%}.",
    "modularity": "Modularity of {scope}'s communities is {value:.2f}: {judgement} (a value "
    "above 0.3 marks clear communities, Newman & Girvan 2004).",
    "modularity_high": "it splits into groups that mostly work among themselves",
    "modularity_low": "no marked split into closed groups",
    "ei": "The helices of {scope} have an E-I index of {value:+.2f} (−1: each works only "
    "inside, +1: only across); random networks with the same numbers of ties give {ref:+.2f}.",
    "ei_one": "{scope} has actors of one helix only: no tie can cross helices.",
    "open": "{value:.0%} of the ties of {scope}'s actors in {home} leave the region; random "
    "networks with the same numbers of ties give {ref:.0%}.",
    "open_none": "No actor of {scope} is outside {home} (or none is in it): ties leaving the "
    "region cannot be seen. Import partners elsewhere (e.g. EU projects) to judge openness.",
    "broker": "Without its top broker, {broker}, {value:.0%} of the actors of {scope}'s "
    "largest part lose their link to it; in random networks with the same numbers of ties "
    "{ref:.0%}.",
    "reach": "{value:.0%} of the {n} clusters, co-working spaces and companies of {scope} "
    "have a path to a support actor; random networks with the same numbers of ties give "
    "{ref:.0%}.",
    "reach_none": "{scope} has no {what}: support reach cannot be judged.",
    "hops": "The median distance from a cluster, co-working space or company of {scope} to "
    "support is {value:.0f} hops; random networks with the same numbers of ties give "
    "{ref:.1f}.",
    "weak_suffix": " Worse than 95 % of the random networks: {failure}.",
    "sound_suffix": " Within what chance gives.",
    "whole": "the whole network",
}

_SCHEMA = {
    "scope": pl.String,
    "scope_name": pl.String,
    "failure": pl.String,
    "indicator": pl.String,
    "value": pl.Float64,
    "reference": pl.Float64,
    "verdict": pl.String,
    "explanation": pl.String,
}


@dataclass(frozen=True)
class DiagnosisParams:
    """How the diagnosis is made (recorded with the results).

    home_region:
        The region whose openness is measured (ties that leave it).
    networks, seed:
        Degree-preserving random networks per scope, and their seed.
    min_actors:
        Scopes with fewer actors get no structural verdicts (thinness is still counted).
    """

    home_region: str = DEFAULT_HOME_REGION
    networks: int = 20
    seed: int = 42
    min_actors: int = 5
    support: tuple[str, ...] = DEFAULT_SUPPORT_KINDS
    targets: tuple[str, ...] = DEFAULT_TARGET_KINDS

    def to_params(self) -> dict[str, Any]:
        out = asdict(self)
        out["support"], out["targets"] = list(self.support), list(self.targets)
        return out


@dataclass(frozen=True)
class _Scope:
    """One scope's network as arrays: node attributes in node order, edges as positions."""

    scope: str
    name: str
    ids: list[str]
    names: list[str]
    helix: np.ndarray  # code per node, -1 unknown
    home: np.ndarray  # bool: in the home region
    known_region: np.ndarray  # bool: region known
    support: np.ndarray
    target: np.ndarray
    edges: np.ndarray  # m × 2


def _parts(n: int, edges: np.ndarray) -> np.ndarray:
    """The connected part of every node (scipy, in C)."""
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    adjacency = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(adjacency, directed=False)[1]


def _top_broker(
    n: int, edges: np.ndarray, seed: int, g: ig.Graph | None = None
) -> tuple[int, float]:
    """The node with the highest betweenness and the share of the largest part's other actors
    cut off from it when that node leaves (``g``: the same network in igraph, if at hand)."""
    if n < 3 or len(edges) == 0:
        return -1, 0.0
    g = g if g is not None else ig.Graph(n=n, edges=[(int(a), int(b)) for a, b in edges])
    if n <= EXACT_BROKER_LIMIT:
        between = np.asarray(g.betweenness(directed=False))
    else:
        sources = random.Random(seed).sample(range(n), TOP_BROKER_SOURCES)
        between = np.asarray(g.betweenness(directed=False, sources=sources))
    top = int(np.argmax(between))
    if between[top] <= 0:
        return top, 0.0
    largest = int(np.bincount(_parts(n, edges)).max())
    kept = edges[(edges[:, 0] != top) & (edges[:, 1] != top)]
    labels = _parts(n, kept)
    sizes = np.bincount(labels)
    sizes[labels[top]] -= 1  # the broker itself, now alone, is no part of anyone's
    after = int(sizes.max())
    return top, (largest - 1 - after) / (largest - 1) if largest > 1 else 0.0


def _structure(
    s: _Scope, edges: np.ndarray, seed: int, g: ig.Graph | None = None
) -> dict[str, float]:
    """The indicators that random networks are compared on, for one set of edges."""
    n = len(s.ids)
    out: dict[str, float] = {}
    if n:
        labels = _parts(n, edges)
        sizes = np.bincount(labels)
        out["parts"] = float(len(sizes))
        out["outside_largest"] = 1.0 - sizes.max() / n
    if len(edges):
        ha, hb = s.helix[edges[:, 0]], s.helix[edges[:, 1]]
        known = (ha >= 0) & (hb >= 0)
        inside = float(((ha == hb) & known).sum())
        across = float(((ha != hb) & known).sum())
        if inside + across:
            out["ei_helix"] = (across - inside) / (across + inside)
        home_a, home_b = s.home[edges[:, 0]], s.home[edges[:, 1]]
        at_home = home_a | home_b
        leaving = (home_a ^ home_b) & s.known_region[edges[:, 0]] & s.known_region[edges[:, 1]]
        if at_home.sum():
            out["openness"] = float(leaving.sum() / at_home.sum())
    _, out["top_broker"] = _top_broker(n, edges, seed, g) if n else (-1, 0.0)
    if s.target.any() and s.support.any():
        reached, hops = _reach(s, edges)
        out["reach"] = reached
        if not np.isnan(hops):
            out["hops"] = hops
    return out


def _reach(s: _Scope, edges: np.ndarray) -> tuple[float, float]:
    """Share of targets with a path to support, and the median hops of those reached (one
    breadth-first search from a virtual source tied to every support actor)."""
    n = len(s.ids)
    source = n
    sup = np.flatnonzero(s.support)
    rows = np.concatenate([edges[:, 0], edges[:, 1], np.full(len(sup), source), sup])
    cols = np.concatenate([edges[:, 1], edges[:, 0], sup, np.full(len(sup), source)])
    adjacency = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
    order, predecessors = breadth_first_order(adjacency, source, directed=False)
    hops = np.full(n + 1, -1, dtype=np.int64)
    hops[source] = 0
    for node in order[1:]:
        hops[node] = hops[predecessors[node]] + 1
    # a target that is itself support is 0 hops away; hops count ties, not the virtual one
    distance = np.where(hops[:n] >= 0, hops[:n] - 1, -1)
    targets = distance[s.target]
    reached = targets[targets >= 0]
    share = len(reached) / len(targets) if len(targets) else float("nan")
    return share, float(np.median(reached)) if len(reached) else float("nan")


def _scope_arrays(
    G: nx.Graph, scope: str, name: str, members: Sequence[str], params: DiagnosisParams
) -> _Scope:
    keep = pl.Series(list(members), dtype=pl.String).implode()
    nodes = nodes_frame(G).filter(pl.col("actor_id").is_in(keep))
    order = nodes["actor_id"].to_list()
    index = nodes.select("actor_id").with_row_index("i")
    ends = (
        edges_frame(G)
        .join(index.rename({"actor_id": "actor_a", "i": "a"}), on="actor_a")
        .join(index.rename({"actor_id": "actor_b", "i": "b"}), on="actor_b")
    )
    edges = np.column_stack([ends["a"].to_numpy(), ends["b"].to_numpy()]).astype(np.int64)
    helix_code = {h: i for i, h in enumerate(HELICES)}
    region = nodes["region"]
    kinds = nodes["kind"]
    return _Scope(
        scope=scope,
        name=name,
        ids=order,
        names=[str(v or k) for v, k in zip(nodes["name"], order, strict=True)],
        helix=np.array([helix_code.get(h, -1) for h in nodes["helix"]], dtype=np.int64),
        home=(region == params.home_region).fill_null(False).to_numpy(),
        known_region=region.is_not_null().to_numpy(),
        support=kinds.is_in(list(params.support)).fill_null(False).to_numpy(),
        target=kinds.is_in(list(params.targets)).fill_null(False).to_numpy(),
        edges=edges,
    )


def _modularity(s: _Scope, seed: int) -> float | None:
    if len(s.edges) < 3:
        return None
    g = ig.Graph(n=len(s.ids), edges=s.edges.tolist())
    state = random.getstate()
    random.seed(seed)
    try:
        return float(g.community_multilevel().modularity)
    finally:
        random.setstate(state)


Row = dict[str, Any]


def _thinness(
    s: _Scope, kinds: pl.Series, helices: pl.Series, params: DiagnosisParams
) -> list[Row]:
    rows: list[Row] = []
    groups = [(f"helix: {h}", f"{h.replace('_', ' ')} actor", helices == h) for h in HELICES]
    groups += [
        (f"support: {k}", f"{k.replace('_', ' ')} actor", kinds == k) for k in params.support
    ]
    for indicator, what, mask in groups:
        chosen = [nm for nm, keep in zip(s.names, mask.fill_null(False), strict=True) if keep]
        n = len(chosen)
        if n == 0:
            verdict = "weak"
            text = TEXTS["none"].format(what=what, scope=s.name, failure=THINNESS)
        elif n == 1:
            verdict = "watch"
            text = TEXTS["one"].format(what=what, scope=s.name, names=chosen[0])
        else:
            verdict = "sound"
            text = TEXTS["several"].format(n=n, what=what + "s", scope=s.name)
        rows.append(_row(s, THINNESS, indicator, float(n), 2.0, verdict, text))
    return rows


def _row(
    s: _Scope,
    failure: str,
    indicator: str,
    value: float | None,
    reference: float | None,
    verdict: str,
    text: str,
) -> Row:
    return {
        "scope": s.scope,
        "scope_name": s.name,
        "failure": failure,
        "indicator": indicator,
        "value": value,
        "reference": reference,
        "verdict": verdict,
        "explanation": text[:1].upper() + text[1:],
    }


# indicator → (failure, text key, True when a higher value is worse)
_COMPARED: dict[str, tuple[str, str, bool]] = {
    "parts": (FRAGMENTATION, "parts", True),
    "outside_largest": (FRAGMENTATION, "outside", True),
    "ei_helix": (FRAGMENTATION, "ei", False),
    "openness": (LOCK_IN, "open", False),
    "top_broker": (LOCK_IN, "broker", True),
    "reach": (REACH, "reach", False),
    "hops": (REACH, "hops", True),
}
_INDICATOR_NAMES = {
    "parts": "separate parts",
    "outside_largest": "share outside the largest part",
    "ei_helix": "E-I index of helices",
    "openness": "share of ties leaving the home region",
    "top_broker": "share hanging on the top broker",
    "reach": "share of targets with a path to support",
    "hops": "median hops to support",
}


def _compared(
    s: _Scope, observed: dict[str, float], nulls: list[dict[str, float]], params: DiagnosisParams
) -> list[Row]:
    rows: list[Row] = []
    broker, _ = _top_broker(len(s.ids), s.edges, params.seed)
    n_targets = int(s.target.sum())
    for key, (failure, text_key, higher_worse) in _COMPARED.items():
        name = _INDICATOR_NAMES[key]
        if key not in observed:
            if key == "openness":
                text = TEXTS["open_none"].format(scope=s.name, home=params.home_region)
            elif key == "ei_helix":
                text = TEXTS["ei_one"].format(scope=s.name)
            elif key in ("reach", "hops"):
                what = "targets (clusters, co-working spaces, companies) or support actors"
                text = TEXTS["reach_none"].format(scope=s.name, what=what)
            else:
                continue
            rows.append(_row(s, failure, name, None, None, "not_judged", text))
            continue
        value = observed[key]
        null = np.array([r[key] for r in nulls if key in r], dtype=float)
        if key == "openness" and not (s.home.any() and (~s.home & s.known_region).any()):
            text = TEXTS["open_none"].format(scope=s.name, home=params.home_region)
            rows.append(_row(s, failure, name, value, None, "not_judged", text))
            continue
        if len(null) == 0:
            continue
        ref = float(null.mean())
        low, high = np.quantile(null, [0.05, 0.95])
        worse = value > high if higher_worse else value < low
        worse = bool(worse and not np.isclose(value, high if higher_worse else low))
        text = TEXTS[text_key].format(
            scope=s.name,
            value=value,
            ref=ref,
            low=low,
            high=high,
            home=params.home_region,
            n=n_targets,
            broker=s.names[broker] if broker >= 0 else "none",
        )
        if worse:
            text += TEXTS["weak_suffix"].format(failure=failure)
        else:
            text += TEXTS["sound_suffix"]
        rows.append(_row(s, failure, name, value, ref, "weak" if worse else "sound", text))
    return rows


def _diagnose_scope(G: nx.Graph, s: _Scope, params: DiagnosisParams) -> list[Row]:
    keep = pl.Series(s.ids, dtype=pl.String).implode()
    nodes = nodes_frame(G).filter(pl.col("actor_id").is_in(keep))
    rows = _thinness(s, nodes["kind"], nodes["helix"], params)
    if len(s.ids) < params.min_actors or len(s.edges) < 2:
        text = TEXTS["too_small"].format(
            scope=s.name, n=len(s.ids), m=len(s.edges), what="its structure"
        )
        rows.append(_row(s, FRAGMENTATION, "structure", None, None, "not_judged", text))
        return rows
    observed = _structure(s, s.edges, params.seed)
    null_params = NullModelParams(networks=params.networks, seed=params.seed)
    nulls = [
        _structure(s, e, params.seed, g) for g, e in null_graphs(len(s.ids), s.edges, null_params)
    ]
    rows += _compared(s, observed, nulls, params)
    q = _modularity(s, params.seed)
    if q is not None:
        high = q > MODULARITY_THRESHOLD
        text = TEXTS["modularity"].format(
            scope=s.name,
            value=q,
            judgement=TEXTS["modularity_high" if high else "modularity_low"],
        )
        rows.append(
            _row(
                s,
                FRAGMENTATION,
                "modularity",
                q,
                MODULARITY_THRESHOLD,
                "watch" if high else "sound",
                text,
            )
        )
    return rows


def diagnose(
    G: nx.Graph,
    areas: pl.DataFrame,
    params: DiagnosisParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> pl.DataFrame:
    """The diagnosis of the whole network and of every strength area in ``areas``.

    Parameters
    ----------
    G : nx.Graph
        The (filtered) network of ``graph.analysis.network.build_graph``.
    areas : pl.DataFrame
        The ``strength_areas`` table (``area_id, name``).
    params : DiagnosisParams, optional
        Home region, random networks per scope, their seed, the smallest scope judged.

    Returns
    -------
    pl.DataFrame
        ``scope, scope_name, failure, indicator, value, reference, verdict, explanation``.

    Examples
    --------
    A firm and a university, tied: one academic actor, so academia is thin ("watch").

    >>> G = nx.Graph([("f", "u")])
    >>> nx.set_node_attributes(G, {"f": "company", "u": "academia"}, "kind")
    >>> nx.set_node_attributes(G, {"f": "industry", "u": "academia"}, "helix")
    >>> d = diagnose(G, pl.DataFrame({"area_id": [], "name": []}, schema={"area_id": pl.String,
    ...     "name": pl.String}))
    >>> d.filter(pl.col("indicator") == "helix: academia").select("value", "verdict").rows()
    [(1.0, 'watch')]
    """
    params = params or DiagnosisParams()
    if G.number_of_nodes() == 0:  # nothing to diagnose, not a system with nothing in it
        return pl.DataFrame(schema=_SCHEMA)
    nodes = nodes_frame(G)
    scopes = [(WHOLE, TEXTS["whole"], nodes["actor_id"].to_list())]
    exploded = nodes.select("actor_id", "areas").explode("areas")
    for area_id, area_name in areas.select("area_id", "name").iter_rows():
        members = exploded.filter(pl.col("areas") == area_id)["actor_id"].to_list()
        scopes.append((area_id, area_name, members))
    rows: list[Row] = []
    for scope, name, members in scopes:
        if progress:
            progress(name)
        rows += _diagnose_scope(G, _scope_arrays(G, scope, name, members, params), params)
    return (
        pl.DataFrame(rows, schema=_SCHEMA, orient="row") if rows else pl.DataFrame(schema=_SCHEMA)
    )
