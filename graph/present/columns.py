"""Human names and one-line help for every column a person reads in the app.

One place for these texts, so that the pages stay thin and a translation is one catalogue.
Each entry: ``column → (label, help, kind)``; kind tells the app how to show the value
(``text``, ``int``, ``float``, ``share``, ``bool``, ``date``). The labels and help are English
messages (``COLUMN_TEXTS``); ``COLUMNS`` and ``label_of`` give them in the language in force
when they are read (``graph.i18n.translator()``), so a page in Swedish reads Swedish headers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graph.i18n import N_, NC_, translator

__all__ = ["COLUMNS", "COLUMN_TEXTS", "label_of"]

# the context of every label: "Ties", "Id" or "Who" as a table's header
CONTEXT = "column"

COLUMN_TEXTS: dict[str, tuple[str, str, str]] = {
    "name": (NC_("column", "Actor"), N_("The organisation's name."), "text"),
    "actor_id": (NC_("column", "Id"), N_("The actor's id in the database."), "text"),
    "kind": (NC_("column", "Kind"), N_("What sort of organisation it is."), "text"),
    "helix": (
        NC_("column", "Helix"),
        N_("Public sector, industry, academia or civil society."),
        "text",
    ),
    "municipality": (NC_("column", "Municipality"), N_("Where the actor is based."), "text"),
    "region": (NC_("column", "Region"), N_("The county or region the actor belongs to."), "text"),
    "group": (NC_("column", "Group"), N_("The group of actors this row is about."), "text"),
    "grouping": (NC_("column", "Grouped by"), N_("How actors were grouped."), "text"),
    "group_a": (NC_("column", "Group"), N_("One side of the pair."), "text"),
    "group_b": (NC_("column", "Other group"), N_("The other side of the pair."), "text"),
    "pair": (NC_("column", "Groups"), N_("The two groups compared."), "text"),
    "degree": (NC_("column", "Ties"), N_("How many partners the actor has."), "int"),
    "weighted_degree": (
        NC_("column", "Ties, weighted"),
        N_("Ties counted by their weight."),
        "float",
    ),
    "betweenness": (
        NC_("column", "Broker score"),
        N_(
            "Share of shortest routes between others that pass through this actor (betweenness); "
            "high = others depend on it to reach each other."
        ),
        "float",
    ),
    "closeness": (
        NC_("column", "Closeness"),
        N_("How few steps the actor needs to reach everyone else; high = central."),
        "float",
    ),
    "pagerank": (
        NC_("column", "Reach score"),
        N_("Ties to well-connected actors count more (PageRank)."),
        "float",
    ),
    "burt_constraint": (
        NC_("column", "Locked in"),
        N_(
            "How much the actor's partners also work with each other (Burt's constraint); "
            "high = few alternatives."
        ),
        "float",
    ),
    "effective_size": (
        NC_("column", "Independent partners"),
        N_("Partners who do not already work with each other (effective size)."),
        "float",
    ),
    "community": (
        NC_("column", "Community"),
        N_("A group with many ties inside and few outside."),
        "int",
    ),
    "core_number": (
        NC_("column", "Core"),
        N_("The densest layer of the network the actor belongs to."),
        "int",
    ),
    "is_articulation_point": (
        NC_("column", "Single point of failure"),
        N_("If this actor left, the network would split (a cut point)."),
        "bool",
    ),
    "hops": (
        NC_("column", "Steps to support"),
        N_("Ties from this actor to the nearest support organisation."),
        "int",
    ),
    "nearest_support_name": (
        NC_("column", "Nearest support"),
        N_("The support organisation it reaches first."),
        "text",
    ),
    "reached": (NC_("column", "Reached"), N_("Has any route to a support organisation."), "bool"),
    "observed": (NC_("column", "Ties"), N_("Ties there are between the two groups."), "float"),
    "expected": (
        NC_("column", "Expected"),
        N_("Ties expected if every actor chose partners at random, keeping its number of ties."),
        "float",
    ),
    "ratio": (
        NC_("column", "Ties ÷ expected"),
        N_("Below 1: fewer ties than chance gives."),
        "float",
    ),
    "density": (
        NC_("column", "Density"),
        N_("Share of the possible pairs that are tied."),
        "share",
    ),
    "ci_low": (
        NC_("column", "Chance range from"),
        N_("The lowest count chance alone gives often."),
        "float",
    ),
    "ci_high": (
        NC_("column", "Chance range to"),
        N_("The highest count chance alone gives often."),
        "float",
    ),
    "z": (
        NC_("column", "Distance from chance"),
        N_("How many standard deviations from the expected."),
        "float",
    ),
    "p_value": (
        NC_("column", "p"),
        N_("How likely a difference this large is by chance alone."),
        "float",
    ),
    "q_value": (
        NC_("column", "q"),
        N_("p corrected for testing many pairs at once; below 0.05 counts."),
        "float",
    ),
    "verdict": (
        NC_("column", "Verdict"),
        N_("Gap, more than expected, as expected, or too few to judge."),
        "text",
    ),
    "ei": (
        NC_("column", "Openness (E-I)"),
        N_("−1: works only inside its group; +1: only with other groups."),
        "float",
    ),
    "internal": (NC_("column", "Ties inside"), N_("Ties within the group."), "float"),
    "external": (NC_("column", "Ties outside"), N_("Ties to other groups."), "float"),
    "actors": (NC_("column", "Actors"), N_("How many actors."), "int"),
    "components_after": (
        NC_("column", "Parts after"),
        N_("Separate parts of the network without it."),
        "int",
    ),
    "largest_component_after": (
        NC_("column", "Largest part after"),
        N_("Actors in the largest part."),
        "int",
    ),
    "lost_support": (
        NC_("column", "Lose support"),
        N_("Actors that would lose every route to support."),
        "int",
    ),
    "lost_support_names": (
        NC_("column", "Who"),
        N_("The actors that would lose every route to support."),
        "text",
    ),
    "efficiency_drop": (
        NC_("column", "Slower network"),
        N_("How much longer routes get on average without it (drop in efficiency)."),
        "share",
    ),
    "bridges": (NC_("column", "Bridges"), N_("Its ties whose loss splits the network."), "int"),
    "liaison": (
        NC_("column", "Links other groups"),
        N_("Pairs from two other groups it links."),
        "int",
    ),
    "gatekeeper_representative": (
        NC_("column", "Door to its group"),
        N_("Pairs it links between its own group and another."),
        "int",
    ),
    "coordinator": (
        NC_("column", "Links within its group"),
        N_("Pairs of its own group it links."),
        "int",
    ),
    "itinerant": (
        NC_("column", "Links a group it is not in"),
        N_("Pairs of one other group it links."),
        "int",
    ),
    "total": (NC_("column", "Pairs it links"), N_("All pairs it links."), "int"),
    "start_date": (NC_("column", "Starts"), N_("When it starts."), "date"),
    "end_date": (NC_("column", "Ends"), N_("When it ends."), "date"),
    "status": (NC_("column", "Status"), N_("Ended, or ends soon."), "text"),
    "other_ties": (NC_("column", "Other ties"), N_("Other ties between the same pair."), "int"),
    "at_risk": (NC_("column", "At risk"), N_("Nothing else holds the pair together."), "bool"),
    "activity_name": (NC_("column", "Activity"), N_("The project or programme."), "text"),
    "name_a": (NC_("column", "Actor"), N_("One actor of the pair."), "text"),
    "name_b": (NC_("column", "Partner"), N_("The other actor of the pair."), "text"),
    "area_name": (
        NC_("column", "Strength area"),
        N_("Smart-specialisation strength area."),
        "text",
    ),
    "academia": (NC_("column", "Academia"), N_("Universities and research institutes."), "int"),
    "industry": (NC_("column", "Industry"), N_("Companies, clusters, co-working spaces."), "int"),
    "support": (NC_("column", "Support"), N_("Support organisations."), "int"),
    "flags": (NC_("column", "Missing"), N_("Roles the area has no actor in."), "text"),
    "score": (NC_("column", "Score"), N_("The sum of its parts; higher = better fit."), "float"),
    "rank": (NC_("column", "Rank"), N_("Best suggestion first."), "int"),
    "topology": (
        NC_("column", "Shared partners"),
        N_("How close you already are through others."),
        "float",
    ),
    "complementarity": (
        NC_("column", "Complements you"),
        N_("Another helix, a shared strength area, nearby."),
        "float",
    ),
    "gap_bonus": (
        NC_("column", "Bridges groups"),
        N_("Bonus for a tie between groups that rarely work together."),
        "float",
    ),
    "method": (NC_("column", "Method"), N_("How the suggestions were made."), "text"),
    "precision_at_k": (
        NC_("column", "Hit rate"),
        N_("Share of the suggestions that did form later (precision at k)."),
        "share",
    ),
    "recall_at_k": (
        NC_("column", "New ties found"),
        N_("Share of each actor's new ties found among its suggestions (recall at k)."),
        "share",
    ),
    "mrr": (
        NC_("column", "First hit"),
        N_("1 ÷ the rank of the first suggestion that formed, on average (1 = always the first)."),
        "float",
    ),
    "partner_name": (NC_("column", "Suggested partner"), N_("The actor suggested."), "text"),
    "path_names": (
        NC_("column", "Who can introduce you"),
        N_("The shortest chain of partners."),
        "text",
    ),
    "failure": (
        NC_("column", "System failure"),
        N_("The kind of weakness of an innovation system the row looks for."),
        "text",
    ),
    "indicator": (
        NC_("column", "Indicator"),
        N_("What the diagnosis measures in this part of the network."),
        "text",
    ),
    "value": (NC_("column", "Value"), N_("The indicator in the network in force."), "float"),
    "reference": (
        NC_("column", "Random networks"),
        N_("The indicator's mean in random networks with the same numbers of ties."),
        "float",
    ),
    "explanation": (NC_("column", "In words"), N_("What the row means."), "text"),
    "year": (NC_("column", "Year"), N_("Calendar year."), "text"),
    "ties": (NC_("column", "Ties"), N_("Tied pairs."), "int"),
    "actors_active": (NC_("column", "Active actors"), N_("Actors with a tie that year."), "int"),
    "new_pairs": (NC_("column", "New pairs"), N_("Pairs tied for the first time."), "int"),
    "ended_pairs": (NC_("column", "Ended pairs"), N_("Pairs no longer tied."), "int"),
    "components": (NC_("column", "Parts"), N_("Separate parts of the network."), "int"),
    "largest_component_share": (
        NC_("column", "Largest part"),
        N_("Share of actors in the largest part."),
        "share",
    ),
    "n": (NC_("column", "Actors"), N_("How many actors."), "int"),
    "support_actor": (
        NC_("column", "Support organisation"),
        N_("The support organisation reached."),
        "text",
    ),
    "support_id": (NC_("column", "Id"), N_("The support organisation's id."), "text"),
    "reached_first_by": (
        NC_("column", "Reached first by"),
        N_("Clusters and co-working spaces for which it is the nearest support."),
        "int",
    ),
    "mean_hops": (
        NC_("column", "Steps on average"),
        N_("Average steps to it from those actors."),
        "float",
    ),
    "clusters_and_coworking": (
        NC_("column", "Who"),
        N_("The clusters and co-working spaces."),
        "text",
    ),
    "ties_at_risk": (
        NC_("column", "Ties at risk"),
        N_("Ties that end with it and have nothing else."),
        "int",
    ),
    "activity_id": (NC_("column", "Id"), N_("The activity's id."), "text"),
    "reason": (NC_("column", "Why"), N_("Why the tie disappears."), "text"),
    "what": (NC_("column", "What"), N_("What the rows hold."), "text"),
    "rows": (NC_("column", "Rows"), N_("Rows in the table."), "int"),
    "synthetic": (NC_("column", "Synthetic"), N_("Rows of synthetic demo data."), "int"),
    "unsourced": (NC_("column", "No source"), N_("Rows that name no source."), "int"),
    "sourced": (NC_("column", "Sourced"), N_("Rows that name a source."), "int"),
}


class _Columns(Mapping[str, tuple[str, str, str]]):
    """``COLUMN_TEXTS`` read in the language in force: ``COLUMNS[name]`` is ``(label, help,
    kind)`` translated at the moment it is read (a page's session, a command's ``--lang``)."""

    def __getitem__(self, column: str) -> tuple[str, str, str]:
        label, help_text, kind = COLUMN_TEXTS[column]
        t = translator()
        return t.pgettext(CONTEXT, label), t.gettext(help_text), kind

    def __iter__(self) -> Iterator[str]:
        return iter(COLUMN_TEXTS)

    def __len__(self) -> int:
        return len(COLUMN_TEXTS)


COLUMNS: Mapping[str, tuple[str, str, str]] = _Columns()


def label_of(column: str, lang: str | None = None) -> str:
    """The human name of a column in ``lang`` (None: the language in force; the column itself
    when unknown).

    >>> label_of("burt_constraint", "en"), label_of("unknown_column")
    ('Locked in', 'unknown_column')
    >>> label_of("burt_constraint", "sv")
    'Inlåst'
    """
    if column not in COLUMN_TEXTS:
        return column
    return translator(lang).pgettext(CONTEXT, COLUMN_TEXTS[column][0])
