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
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
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
from graph.i18n import N_, NC_, Translator, display_name, translator
from graph.store.config import DEFAULT_HOME_REGION
from graph.store.tables import HELICES

__all__ = [
    "DIAGNOSIS_VERDICTS",
    "FAILURE_TEXTS",
    "INDICATOR_TEXTS",
    "TEXTS",
    "VERDICT_TEXTS",
    "WHOLE",
    "DiagnosisParams",
    "diagnose",
    "explanation",
    "explanations",
    "failure_name",
    "indicator_name",
    "verdict_name",
]

WHOLE = "(all)"
DIAGNOSIS_VERDICTS = ("weak", "watch", "sound", "not_judged")
MODULARITY_THRESHOLD = 0.3  # Newman & Girvan (2004)
TOP_BROKER_SOURCES = 64  # sampled sources of betweenness above EXACT_BROKER_LIMIT actors
EXACT_BROKER_LIMIT = 2000

THINNESS = "organisational thinness"
FRAGMENTATION = "fragmentation"
LOCK_IN = "lock-in"
REACH = "support reach"

# Every text a person reads, in one place (for the Swedish and English catalogues). The table
# keeps each explanation in English, as data (a diagnosis is cached and stored whatever the
# language of whoever made it); ``explanation(row, lang)`` reads it in any language, by
# reading the English sentence back into its message and values.
TEXTS = {
    "none": N_("No {what} in {scope}: {failure} (Tödtling & Trippl 2005)."),
    "one": N_(
        "Only one {what} in {scope} ({names}): it is thin; everything of its kind hangs on that "
        "actor."
    ),
    "several": N_("{n} {what} in {scope}."),
    "too_small": N_("{scope} has {n} actors and {m} ties: too few to judge {what}."),
    "parts": N_(
        "{scope} falls into {value} separate parts; random networks with the same numbers of "
        "ties give {ref} (90 % of them {low}–{high})."
    ),
    "outside": N_(
        "{value} of the actors of {scope} are outside its largest part; random networks with "
        "the same numbers of ties give {ref}."
    ),
    "modularity": N_(
        "Modularity of {scope}'s communities is {value}: {judgement} (a value above 0.3 marks "
        "clear communities, Newman & Girvan 2004)."
    ),
    "modularity_high": N_("it splits into groups that mostly work among themselves"),
    "modularity_low": N_("no marked split into closed groups"),
    "ei": N_(
        "The helices of {scope} have an E-I index of {value} (−1: each works only inside, +1: "
        "only across); random networks with the same numbers of ties give {ref}."
    ),
    "ei_one": N_("{scope} has actors of one helix only: no tie can cross helices."),
    "open": N_(
        "{value} of the ties of {scope}'s actors in {home} leave the region; random networks "
        "with the same numbers of ties give {ref}."
    ),
    "open_none": N_(
        "No actor of {scope} is outside {home} (or none is in it): ties leaving the region "
        "cannot be seen. Import partners elsewhere (e.g. EU projects) to judge openness."
    ),
    "broker": N_(
        "Without its top broker, {broker}, {value} of the actors of {scope}'s largest part lose "
        "their link to it; in random networks with the same numbers of ties {ref}."
    ),
    "reach": N_(
        "{value} of the {n} clusters, co-working spaces and companies of {scope} have a path to "
        "a support actor; random networks with the same numbers of ties give {ref}."
    ),
    "reach_none": N_("{scope} has no {what}: support reach cannot be judged."),
    "reach_what": N_("targets (clusters, co-working spaces, companies) or support actors"),
    "structure": N_("its structure"),
    "hops": N_(
        "The median distance from a cluster, co-working space or company of {scope} to support "
        "is {value} hops; random networks with the same numbers of ties give {ref}."
    ),
    "weak_suffix": N_(" Worse than 95 % of the random networks: {failure}."),
    "sound_suffix": N_(" Within what chance gives."),
    "whole": N_("the whole network"),
    "no_broker": NC_("no broker", "none"),
    "helix_actor": N_("{name} actor"),
    "helix_actors": N_("{name} actors"),
    "kind_actor": NC_("support kind", "{name} actor"),
    "kind_actors": NC_("support kind", "{name} actors"),
}
# the failures, indicators and verdicts as people read them (the table keeps the English names
# and the verdicts' values)
FAILURE_TEXTS = {
    THINNESS: NC_("system failure", "organisational thinness"),
    FRAGMENTATION: NC_("system failure", "fragmentation"),
    LOCK_IN: NC_("system failure", "lock-in"),
    REACH: NC_("system failure", "support reach"),
}
INDICATOR_TEXTS = {
    "separate parts": NC_("indicator", "separate parts"),
    "share outside the largest part": NC_("indicator", "share outside the largest part"),
    "E-I index of helices": NC_("indicator", "E-I index of helices"),
    "share of ties leaving the home region": NC_(
        "indicator", "share of ties leaving the home region"
    ),
    "share hanging on the top broker": NC_("indicator", "share hanging on the top broker"),
    "share of targets with a path to support": NC_(
        "indicator", "share of targets with a path to support"
    ),
    "median hops to support": NC_("indicator", "median hops to support"),
    "modularity": NC_("indicator", "modularity"),
    "structure": NC_("indicator", "structure"),
    "helix": NC_("indicator", "helix: {name}"),
    "support": NC_("indicator", "support: {name}"),
}
VERDICT_TEXTS = {
    "weak": NC_("diagnosis verdict", "weak"),
    "watch": NC_("diagnosis verdict", "watch"),
    "sound": NC_("diagnosis verdict", "sound"),
    "not_judged": NC_("diagnosis verdict", "not judged"),
}

# how each number of an explanation is written: (decimals, percent, with a sign)
_NUMBERS: dict[str, dict[str, tuple[int, bool, bool]]] = {
    "parts": {"value": (0, False, False), "ref": (1, False, False), "low": (0, False, False),
              "high": (0, False, False)},
    "outside": {"value": (0, True, False), "ref": (0, True, False)},
    "modularity": {"value": (2, False, False)},
    "ei": {"value": (2, False, True), "ref": (2, False, True)},
    "open": {"value": (0, True, False), "ref": (0, True, False)},
    "broker": {"value": (0, True, False), "ref": (0, True, False)},
    "reach": {"value": (0, True, False), "ref": (0, True, False)},
    "hops": {"value": (0, False, False), "ref": (1, False, False)},
}  # fmt: skip
# the messages an explanation begins with, and the ones that may end it
_BODIES = ("none", "one", "several", "too_small", "parts", "outside", "modularity", "ei",
           "ei_one", "open", "open_none", "broker", "reach", "reach_none", "hops")  # fmt: skip
_SUFFIXES = ("weak_suffix", "sound_suffix")

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


Part = tuple[str, dict[str, Any]]  # a message of TEXTS and its values


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _number(value: float, decimals: int, percent: bool, sign: bool, t: Translator) -> str:
    text = t.percent(value, decimals) if percent else t.number(value, decimals)
    return "+" + text if sign and value >= 0 else text


def _what(spec: Mapping[str, Any], t: Translator) -> str:
    """An actor of a helix or a support kind, as a sentence names it ("academia actor")."""
    vocabulary, value, plural = spec["vocabulary"], str(spec["value"]), bool(spec["plural"])
    if t.lang == "en":
        name = value.replace("_", " ")
    else:
        name = _lower_first(display_name(vocabulary, value, t.lang))
    if vocabulary == "helix":
        return t.gettext(TEXTS["helix_actors" if plural else "helix_actor"]).format(name=name)
    key = "kind_actors" if plural else "kind_actor"
    return t.pgettext("support kind", TEXTS[key]).format(name=name)


def _fill(key: str, values: Mapping[str, Any], scope: str, t: Translator) -> str:
    """One message of an explanation, its values written as the language of ``t`` does."""
    numbers = _NUMBERS.get(key, {})
    out: dict[str, str] = {"scope": scope}
    for name, value in values.items():
        if name in numbers:
            out[name] = _number(float(value), *numbers[name], t)
        elif name == "what":
            out[name] = _what(value, t) if isinstance(value, dict) else t.gettext(TEXTS[value])
        elif name == "judgement":
            out[name] = t.gettext(TEXTS[value])
        elif name == "failure":
            out[name] = t.pgettext("system failure", FAILURE_TEXTS.get(value, value))
        elif name == "broker":
            out[name] = (
                str(value) if value is not None else t.pgettext("no broker", TEXTS["no_broker"])
            )
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = t.number(value)
        else:
            out[name] = str(value)
    return t.gettext(TEXTS[key]).format(**out)


def _scope_text(scope: str, name: str | None, t: Translator) -> str:
    return t.gettext(TEXTS["whole"]) if scope == WHOLE else str(name or scope)


def _render(scope: str, name: str | None, parts: Sequence[Part], t: Translator) -> str:
    text = "".join(_fill(key, values, _scope_text(scope, name, t), t) for key, values in parts)
    return text[:1].upper() + text[1:]


@cache
def _patterns() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    """The English messages as patterns, the most specific (most fixed text) first."""

    def pattern(key: str, end: bool) -> re.Pattern[str]:
        out = []
        for literal, field_name, _, _ in string.Formatter().parse(TEXTS[key]):
            out.append(re.escape(literal))
            if field_name is not None:
                out.append(f"(?P<{field_name}>.+?)")
        return re.compile("".join(out) + ("$" if end else ""), re.DOTALL)

    def fixed(key: str) -> int:
        return sum(len(lit) for lit, _, _, _ in string.Formatter().parse(TEXTS[key]))

    bodies = sorted(_BODIES, key=fixed, reverse=True)
    return [(k, pattern(k, True)) for k in bodies], [(k, pattern(k, True)) for k in _SUFFIXES]


def _english_number(text: str) -> float:
    """A number as the English explanation wrote it (``1,234.5``, ``+0.12``, ``26%``)."""
    clean = text.replace(",", "").replace("−", "-").replace("+", "").strip()
    if clean.endswith("%"):
        return float(clean[:-1]) / 100
    return float(clean)


def _read_value(key: str, name: str, text: str) -> Any:
    """One value of an English explanation, as the message's values hold it."""
    if name in _NUMBERS.get(key, {}):
        return _english_number(text)
    if name in ("n", "m"):
        return int(_english_number(text))
    if name == "what":
        for word in ("reach_what", "structure"):
            if text == TEXTS[word]:
                return word
        plural = text.endswith(" actors")
        value = text.removesuffix(" actors" if plural else " actor").replace(" ", "_")
        vocabulary = "helix" if value in HELICES else "actor_kind"
        return {"vocabulary": vocabulary, "value": value, "plural": plural}
    if name == "judgement":
        return next(k for k in ("modularity_high", "modularity_low") if TEXTS[k] == text)
    if name == "broker" and text == TEXTS["no_broker"]:
        return None
    return text


def _read(text: str) -> list[Part] | None:
    """The messages and values of an English explanation, or None when it is none of them."""
    bodies, suffixes = _patterns()
    tail: list[Part] = []
    for key, suffix in suffixes:
        found = suffix.search(text)
        if found:
            values = {k: _read_value(key, k, v) for k, v in found.groupdict().items()}
            tail, text = [(key, values)], text[: found.start()]
            break
    for candidate in dict.fromkeys((text, text[:1].lower() + text[1:])):
        for key, body in bodies:
            found = body.match(candidate)
            if found:
                values = {
                    k: _read_value(key, k, v) for k, v in found.groupdict().items() if k != "scope"
                }
                return [(key, values), *tail]
    return None


def explanation(row: Mapping[str, Any], lang: str | None = None) -> str:
    """The explanation of one diagnosis row in ``lang`` (None: the language in force). The
    table keeps it in English; another language reads the English sentence back into its
    message and values and writes them again (a sentence it cannot read stays as it is).

    >>> row = {"scope": WHOLE, "scope_name": "the whole network", "explanation": "25% of the "
    ...     "actors of the whole network are outside its largest part; random networks with "
    ...     "the same numbers of ties give 10%. Within what chance gives."}
    >>> explanation(row, "en") == row["explanation"]
    True
    >>> explanation(row, "sv")[:39]
    '25\xa0% av aktörerna i hela nätverket ligg'
    """
    text = str(row.get("explanation") or "")
    t = translator(lang)
    if t.lang == "en":
        return text
    parts = _read(text)
    if parts is None:
        return text
    return _render(str(row["scope"]), row.get("scope_name"), parts, t)


def explanations(frame: pl.DataFrame, lang: str | None = None) -> list[str]:
    """The explanations of a diagnosis table in ``lang`` (``explanation`` per row)."""
    return [explanation(r, lang) for r in frame.iter_rows(named=True)]


def failure_name(failure: str, lang: str | None = None) -> str:
    """A failure of the table (``lock-in``) as people read it in ``lang``."""
    return translator(lang).pgettext("system failure", FAILURE_TEXTS.get(failure, failure))


def indicator_name(indicator: str, lang: str | None = None) -> str:
    """An indicator of the table as people read it in ``lang`` (``helix: academia`` →
    ``helix: Academia``, ``helix: Akademi``).

    >>> indicator_name("support: design_org", "en"), indicator_name("separate parts", "sv")
    ('support: Design organisation', 'separata delar')
    """
    t = translator(lang)
    head, sep, value = indicator.partition(": ")
    vocabulary = {"support": "actor_kind", "helix": "helix"}.get(head)
    if sep and vocabulary is not None:
        name = display_name(vocabulary, value, t.lang)
        return t.pgettext("indicator", INDICATOR_TEXTS[head]).format(name=name)
    if indicator in INDICATOR_TEXTS:
        return t.pgettext("indicator", INDICATOR_TEXTS[indicator])
    return indicator


def verdict_name(verdict: str, lang: str | None = None) -> str:
    """A verdict of the table (``not_judged``) as people read it in ``lang``."""
    known = VERDICT_TEXTS.get(verdict)
    if known is None:
        return verdict.replace("_", " ")
    return translator(lang).pgettext("diagnosis verdict", known)


def _thinness(
    s: _Scope, kinds: pl.Series, helices: pl.Series, params: DiagnosisParams, t: Translator
) -> list[Row]:
    rows: list[Row] = []
    groups = [(f"helix: {h}", "helix", h, helices == h) for h in HELICES]
    groups += [(f"support: {k}", "actor_kind", k, kinds == k) for k in params.support]
    for indicator, vocabulary, value, mask in groups:
        chosen = [nm for nm, keep in zip(s.names, mask.fill_null(False), strict=True) if keep]
        n = len(chosen)
        what = {"vocabulary": vocabulary, "value": value, "plural": n > 1}
        part: Part
        if n == 0:
            verdict = "weak"
            part = ("none", {"what": what, "failure": THINNESS})
        elif n == 1:
            verdict = "watch"
            part = ("one", {"what": what, "names": chosen[0]})
        else:
            verdict = "sound"
            part = ("several", {"n": n, "what": what})
        rows.append(_row(s, THINNESS, indicator, float(n), 2.0, verdict, [part], t))
    return rows


def _row(
    s: _Scope,
    failure: str,
    indicator: str,
    value: float | None,
    reference: float | None,
    verdict: str,
    parts: Sequence[Part],
    t: Translator,
) -> Row:
    return {
        "scope": s.scope,
        "scope_name": s.name,
        "failure": failure,
        "indicator": indicator,
        "value": value,
        "reference": reference,
        "verdict": verdict,
        "explanation": _render(s.scope, s.name, parts, t),
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
    s: _Scope,
    observed: dict[str, float],
    nulls: list[dict[str, float]],
    params: DiagnosisParams,
    t: Translator,
) -> list[Row]:
    rows: list[Row] = []
    broker, _ = _top_broker(len(s.ids), s.edges, params.seed)
    n_targets = int(s.target.sum())
    for key, (failure, text_key, higher_worse) in _COMPARED.items():
        name = _INDICATOR_NAMES[key]
        part: Part
        if key not in observed:
            if key == "openness":
                part = ("open_none", {"home": params.home_region})
            elif key == "ei_helix":
                part = ("ei_one", {})
            elif key in ("reach", "hops"):
                part = ("reach_none", {"what": "reach_what"})
            else:
                continue
            rows.append(_row(s, failure, name, None, None, "not_judged", [part], t))
            continue
        value = observed[key]
        null = np.array([r[key] for r in nulls if key in r], dtype=float)
        if key == "openness" and not (s.home.any() and (~s.home & s.known_region).any()):
            part = ("open_none", {"home": params.home_region})
            rows.append(_row(s, failure, name, value, None, "not_judged", [part], t))
            continue
        if len(null) == 0:
            continue
        ref = float(null.mean())
        low, high = np.quantile(null, [0.05, 0.95])
        worse = value > high if higher_worse else value < low
        worse = bool(worse and not np.isclose(value, high if higher_worse else low))
        # only the values its message shows (json keeps them for another language)
        values: dict[str, Any] = {"value": float(value), "ref": ref}
        if text_key == "parts":
            values.update(low=float(low), high=float(high))
        elif text_key == "open":
            values["home"] = params.home_region
        elif text_key == "reach":
            values["n"] = n_targets
        elif text_key == "broker":
            values["broker"] = s.names[broker] if broker >= 0 else None
        parts: list[Part] = [(text_key, values)]
        if worse:
            parts.append(("weak_suffix", {"failure": failure}))
        else:
            parts.append(("sound_suffix", {}))
        rows.append(_row(s, failure, name, value, ref, "weak" if worse else "sound", parts, t))
    return rows


def _diagnose_scope(G: nx.Graph, s: _Scope, params: DiagnosisParams, t: Translator) -> list[Row]:
    keep = pl.Series(s.ids, dtype=pl.String).implode()
    nodes = nodes_frame(G).filter(pl.col("actor_id").is_in(keep))
    rows = _thinness(s, nodes["kind"], nodes["helix"], params, t)
    if len(s.ids) < params.min_actors or len(s.edges) < 2:
        part = ("too_small", {"n": len(s.ids), "m": len(s.edges), "what": "structure"})
        rows.append(_row(s, FRAGMENTATION, "structure", None, None, "not_judged", [part], t))
        return rows
    observed = _structure(s, s.edges, params.seed)
    null_params = NullModelParams(networks=params.networks, seed=params.seed)
    nulls = [
        _structure(s, e, params.seed, g) for g, e in null_graphs(len(s.ids), s.edges, null_params)
    ]
    rows += _compared(s, observed, nulls, params, t)
    q = _modularity(s, params.seed)
    if q is not None:
        high = q > MODULARITY_THRESHOLD
        part = (
            "modularity",
            {"value": q, "judgement": "modularity_high" if high else "modularity_low"},
        )
        rows.append(
            _row(
                s,
                FRAGMENTATION,
                "modularity",
                q,
                MODULARITY_THRESHOLD,
                "watch" if high else "sound",
                [part],
                t,
            )
        )
    return rows


def diagnose(
    G: nx.Graph,
    areas: pl.DataFrame,
    params: DiagnosisParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> pl.DataFrame:
    """The diagnosis of the whole network and of every strength area in ``areas``, explained in
    English as data (``explanation(row, lang)`` reads it in any language).

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
    t = translator("en")  # the table's language: its explanations are data
    if G.number_of_nodes() == 0:  # nothing to diagnose, not a system with nothing in it
        return pl.DataFrame(schema=_SCHEMA)
    nodes = nodes_frame(G)
    scopes = [(WHOLE, t.gettext(TEXTS["whole"]), nodes["actor_id"].to_list())]
    exploded = nodes.select("actor_id", "areas").explode("areas")
    for area_id, area_name in areas.select("area_id", "name").iter_rows():
        members = exploded.filter(pl.col("areas") == area_id)["actor_id"].to_list()
        scopes.append((area_id, area_name, members))
    rows: list[Row] = []
    for scope, name, members in scopes:
        if progress:
            progress(name)
        rows += _diagnose_scope(G, _scope_arrays(G, scope, name, members, params), params, t)
    return (
        pl.DataFrame(rows, schema=_SCHEMA, orient="row") if rows else pl.DataFrame(schema=_SCHEMA)
    )
