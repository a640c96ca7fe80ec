"""The network as one static picture (SVG), for the report and for slides.

A picture has room for a few hundred actors: above ``budget`` it draws the best-connected ones
and the ties among them, and its caption says so. Positions come from the same seeded layout
as the interactive map (``graph.present.maps.layout``), colours are one hue per helix, the top
actors carry their names, single points of failure are ringed and gaps between groups are
dashed vermillion lines between the groups' centres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import polars as pl
from markupsafe import Markup

from graph.i18n import N_, NP_, translator
from graph.present.maps import layout
from graph.present.palette import HELIX_COLORS, UNKNOWN_COLOR
from graph.present.svg import NetworkPicture, network_svg, people_number
from graph.present.words import helix_words

__all__ = ["PLURALS", "TEXTS", "Picture", "network_picture"]

TEXTS = {
    "all": N_("All {n} actors and {m} ties."),
    "top": N_("The {shown} best-connected of {n} actors and the {m} ties among them."),
    "rings": N_("Dark rings: actors whose leaving would cut others off."),
    "gaps": N_("Dashed lines: groups that work together less than chance would give."),
    "label": N_("The network: actors coloured by helix"),
}
PLURALS = {
    "labels": NP_(
        "Names: the {k} actor with the most ties.", "Names: the {k} actors with the most ties."
    ),
}


@dataclass(frozen=True)
class Picture:
    """The SVG and the sentences that say what it shows."""

    svg: Markup
    caption: str


def network_picture(
    G: nx.Graph,
    metrics: pl.DataFrame,
    *,
    gaps: Sequence[tuple[str, str, str]] = (),
    budget: int = 400,
    labelled: int = 10,
    width: int = 940,
    height: int = 560,
    seed: int = 7,
    title: str = "",
    subtitle: str = "",
    lang: str | None = None,
) -> Picture:
    """Draw ``G`` (at most ``budget`` actors, the best-connected) coloured by helix.

    ``gaps`` are ``(helix, helix, caption)`` triples drawn as dashed lines between the helices'
    centres; ``metrics`` is ``actor_metrics`` (degree and single points of failure). The
    caption and the legend speak ``lang`` (None: the language in force).
    """
    t = translator(lang)
    n, m_all = G.number_of_nodes(), G.number_of_edges()
    degree = dict(G.degree())
    if n > budget:
        keep = sorted(G, key=lambda v: (-degree[v], str(v)))[:budget]
        H = G.subgraph(keep).copy()  # a view would filter every neighbour lookup
        text = t.gettext(TEXTS["top"]).format(
            shown=people_number(budget, t.lang),
            n=people_number(n, t.lang),
            m=people_number(H.number_of_edges(), t.lang),
        )
    else:
        H = G
        text = t.gettext(TEXTS["all"]).format(
            n=people_number(n, t.lang), m=people_number(m_all, t.lang)
        )
    positions = layout(H, seed=seed)
    top = sorted(H, key=lambda v: (-degree[v], str(v)))[:labelled]
    cut = (
        set(metrics.filter(pl.col("is_articulation_point"))["actor_id"].to_list())
        if metrics.height
        else set()
    )
    biggest = max((degree[v] for v in H), default=1) or 1
    helix = {v: str(H.nodes[v].get("helix") or "") for v in H}
    present = sorted({h for h in helix.values() if h in HELIX_COLORS})
    legend = [(helix_words(h, t.lang), HELIX_COLORS[h]) for h in present]
    if any(h not in HELIX_COLORS for h in helix.values()):
        legend.append((helix_words(None, t.lang), UNKNOWN_COLOR))
    picture = NetworkPicture(
        positions=positions,
        edges=list(H.edges()),
        colors={v: HELIX_COLORS.get(helix[v], UNKNOWN_COLOR) for v in H},
        sizes={v: 2.5 + 9 * math.sqrt(degree[v] / biggest) for v in H},
        labels={v: str(H.nodes[v].get("name") or v) for v in top},
        rings=[v for v in H if v in cut],
        group_of=helix,
        gaps=gaps,
        legend=legend,
        title=title,
        subtitle=subtitle,
    )
    caption = [text, t.ngettext(*PLURALS["labels"], len(top)).format(k=t.number(len(top)))]
    if picture.rings:
        caption.append(t.gettext(TEXTS["rings"]))
    if gaps:
        caption.append(t.gettext(TEXTS["gaps"]))
    label = t.gettext(TEXTS["label"])
    return Picture(network_svg(picture, label=label, width=width, height=height), " ".join(caption))
