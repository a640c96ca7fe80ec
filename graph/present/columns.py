"""Human names and one-line help for every column a person reads in the app.

One place for these texts, so that the pages stay thin and a translation is one catalogue.
Each entry: ``column → (label, help, kind)``; kind tells the app how to show the value
(``text``, ``int``, ``float``, ``share``, ``bool``, ``date``).
"""

from __future__ import annotations

__all__ = ["COLUMNS", "label_of"]

COLUMNS: dict[str, tuple[str, str, str]] = {
    "name": ("Actor", "The organisation's name.", "text"),
    "actor_id": ("Id", "The actor's id in the database.", "text"),
    "kind": ("Kind", "What sort of organisation it is.", "text"),
    "helix": ("Helix", "Public sector, industry, academia or civil society.", "text"),
    "municipality": ("Municipality", "Where the actor is based.", "text"),
    "region": ("Region", "The county or region the actor belongs to.", "text"),
    "group": ("Group", "The group of actors this row is about.", "text"),
    "grouping": ("Grouped by", "How actors were grouped.", "text"),
    "group_a": ("Group", "One side of the pair.", "text"),
    "group_b": ("Other group", "The other side of the pair.", "text"),
    "pair": ("Groups", "The two groups compared.", "text"),
    "degree": ("Ties", "How many partners the actor has.", "int"),
    "weighted_degree": ("Ties, weighted", "Ties counted by their weight.", "float"),
    "betweenness": (
        "Broker score",
        "Share of shortest routes between others that pass through this actor (betweenness); "
        "high = others depend on it to reach each other.",
        "float",
    ),
    "closeness": (
        "Closeness",
        "How few steps the actor needs to reach everyone else; high = central.",
        "float",
    ),
    "pagerank": ("Reach score", "Ties to well-connected actors count more (PageRank).", "float"),
    "burt_constraint": (
        "Locked in",
        "How much the actor's partners also work with each other (Burt's constraint); "
        "high = few alternatives.",
        "float",
    ),
    "effective_size": (
        "Independent partners",
        "Partners who do not already work with each other (effective size).",
        "float",
    ),
    "community": ("Community", "A group with many ties inside and few outside.", "int"),
    "core_number": ("Core", "The densest layer of the network the actor belongs to.", "int"),
    "is_articulation_point": (
        "Single point of failure",
        "If this actor left, the network would split (a cut point).",
        "bool",
    ),
    "hops": (
        "Steps to support",
        "Ties from this actor to the nearest support organisation.",
        "int",
    ),
    "nearest_support_name": (
        "Nearest support",
        "The support organisation it reaches first.",
        "text",
    ),
    "reached": ("Reached", "Has any route to a support organisation.", "bool"),
    "observed": ("Ties", "Ties there are between the two groups.", "float"),
    "expected": (
        "Expected",
        "Ties expected if every actor chose partners at random, keeping its number of ties.",
        "float",
    ),
    "ratio": ("Ties ÷ expected", "Below 1: fewer ties than chance gives.", "float"),
    "density": ("Density", "Share of the possible pairs that are tied.", "share"),
    "ci_low": ("Chance range from", "The lowest count chance alone gives often.", "float"),
    "ci_high": ("Chance range to", "The highest count chance alone gives often.", "float"),
    "z": ("Distance from chance", "How many standard deviations from the expected.", "float"),
    "p_value": ("p", "How likely a difference this large is by chance alone.", "float"),
    "q_value": (
        "q",
        "p corrected for testing many pairs at once; below 0.05 counts.",
        "float",
    ),
    "verdict": ("Verdict", "Gap, more than expected, as expected, or too few to judge.", "text"),
    "ei": (
        "Openness (E-I)",
        "−1: works only inside its group; +1: only with other groups.",
        "float",
    ),
    "internal": ("Ties inside", "Ties within the group.", "float"),
    "external": ("Ties outside", "Ties to other groups.", "float"),
    "actors": ("Actors", "How many actors.", "int"),
    "components_after": ("Parts after", "Separate parts of the network without it.", "int"),
    "largest_component_after": ("Largest part after", "Actors in the largest part.", "int"),
    "lost_support": (
        "Lose support",
        "Actors that would lose every route to support.",
        "int",
    ),
    "lost_support_names": ("Who", "The actors that would lose every route to support.", "text"),
    "efficiency_drop": (
        "Slower network",
        "How much longer routes get on average without it (drop in efficiency).",
        "share",
    ),
    "bridges": ("Bridges", "Its ties whose loss splits the network.", "int"),
    "liaison": ("Links other groups", "Pairs from two other groups it links.", "int"),
    "gatekeeper_representative": (
        "Door to its group",
        "Pairs it links between its own group and another.",
        "int",
    ),
    "coordinator": ("Links within its group", "Pairs of its own group it links.", "int"),
    "itinerant": ("Links a group it is not in", "Pairs of one other group it links.", "int"),
    "total": ("Pairs it links", "All pairs it links.", "int"),
    "start_date": ("Starts", "When it starts.", "date"),
    "end_date": ("Ends", "When it ends.", "date"),
    "status": ("Status", "Ended, or ends soon.", "text"),
    "other_ties": ("Other ties", "Other ties between the same pair.", "int"),
    "at_risk": ("At risk", "Nothing else holds the pair together.", "bool"),
    "activity_name": ("Activity", "The project or programme.", "text"),
    "name_a": ("Actor", "One actor of the pair.", "text"),
    "name_b": ("Partner", "The other actor of the pair.", "text"),
    "area_name": ("Strength area", "Smart-specialisation strength area.", "text"),
    "academia": ("Academia", "Universities and research institutes.", "int"),
    "industry": ("Industry", "Companies, clusters, co-working spaces.", "int"),
    "support": ("Support", "Support organisations.", "int"),
    "flags": ("Missing", "Roles the area has no actor in.", "text"),
    "score": ("Score", "The sum of its parts; higher = better fit.", "float"),
    "rank": ("Rank", "Best suggestion first.", "int"),
    "topology": ("Shared partners", "How close you already are through others.", "float"),
    "complementarity": (
        "Complements you",
        "Another helix, a shared strength area, nearby.",
        "float",
    ),
    "gap_bonus": (
        "Bridges groups",
        "Bonus for a tie between groups that rarely work together.",
        "float",
    ),
    "method": ("Method", "How the suggestions were made.", "text"),
    "precision_at_k": (
        "Hit rate",
        "Share of the suggestions that did form later (precision at k).",
        "share",
    ),
    "recall_at_k": (
        "New ties found",
        "Share of each actor's new ties found among its suggestions (recall at k).",
        "share",
    ),
    "mrr": (
        "First hit",
        "1 ÷ the rank of the first suggestion that formed, on average (1 = always the first).",
        "float",
    ),
    "partner_name": ("Suggested partner", "The actor suggested.", "text"),
    "path_names": ("Who can introduce you", "The shortest chain of partners.", "text"),
    "year": ("Year", "Calendar year.", "text"),
    "ties": ("Ties", "Tied pairs.", "int"),
    "actors_active": ("Active actors", "Actors with a tie that year.", "int"),
    "new_pairs": ("New pairs", "Pairs tied for the first time.", "int"),
    "ended_pairs": ("Ended pairs", "Pairs no longer tied.", "int"),
    "components": ("Parts", "Separate parts of the network.", "int"),
    "largest_component_share": ("Largest part", "Share of actors in the largest part.", "share"),
    "n": ("Actors", "How many actors.", "int"),
    "support_actor": ("Support organisation", "The support organisation reached.", "text"),
    "support_id": ("Id", "The support organisation's id.", "text"),
    "reached_first_by": (
        "Reached first by",
        "Clusters and co-working spaces for which it is the nearest support.",
        "int",
    ),
    "mean_hops": ("Steps on average", "Average steps to it from those actors.", "float"),
    "clusters_and_coworking": ("Who", "The clusters and co-working spaces.", "text"),
    "ties_at_risk": ("Ties at risk", "Ties that end with it and have nothing else.", "int"),
    "activity_id": ("Id", "The activity's id.", "text"),
    "reason": ("Why", "Why the tie disappears.", "text"),
    "what": ("What", "What the rows hold.", "text"),
    "rows": ("Rows", "Rows in the table.", "int"),
    "synthetic": ("Synthetic", "Rows of synthetic demo data.", "int"),
    "unsourced": ("No source", "Rows that name no source.", "int"),
    "sourced": ("Sourced", "Rows that name a source.", "int"),
}


def label_of(column: str) -> str:
    """The human name of a column (the column itself when unknown).

    >>> label_of("burt_constraint"), label_of("unknown_column")
    ('Locked in', 'unknown_column')
    """
    return COLUMNS.get(column, (column, "", "text"))[0]
