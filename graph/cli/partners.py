"""``ecograph partners``: ranked, explained partner suggestions and the backtest behind them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from graph.analysis.filters import check_filter
from graph.analysis.network import GraphFilter, load_actors, load_graph, load_ties
from graph.analysis.partners import (
    BacktestResult,
    CandidateFilter,
    PartnerWeights,
    backtest,
    suggest_partners,
    write_suggestions,
)
from graph.cli.options import db_option, db_path, filter_from_options, filter_options, format_table
from graph.errors import UsageError
from graph.store.database import open_db, read_table

__all__ = ["partners"]

_ACTOR_FILTERS = ("kinds", "helices", "municipalities", "regions", "areas", "exclude")


def _print_backtest(result: BacktestResult) -> None:
    click.echo(
        f"Backtest: {result.split}; {result.train_pairs} known pairs, {result.hidden_pairs} "
        f"new pairs to find, {result.queries} actors asked (seed {result.seed})."
    )
    click.echo(
        format_table(
            result.to_frame().rename(
                {
                    "precision_at_k": f"precision@{result.k}",
                    "recall_at_k": f"recall@{result.k}",
                }
            )
        )
    )


# The shared filter options say "keep actors"; here they choose whom to suggest.
_CANDIDATE_HELP = {
    "kinds": "Suggest only actors of this kind (repeatable).",
    "helices": "Suggest only actors of this helix.",
    "municipalities": "Suggest only actors in this municipality.",
    "regions": "Suggest only actors in this region.",
    "areas": "Suggest only actors in this strength area (id).",
    "exclude": "Never suggest this actor (id).",
}


@click.command()
@db_option
@click.argument("actor_id", required=False)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many suggestions."
)
@filter_options
@click.option(
    "--backtest",
    "run_backtest",
    is_flag=True,
    help="Instead of suggesting: hide the newest ties, predict them and compare the "
    "blend with the baselines.",
)
@click.option(
    "--k",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Backtest: length of the scored suggestion lists (precision@k, recall@k).",
)
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Backtest: seed of the sample of actors, random splits and ties.",
)
@click.option(
    "--max-queries",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Backtest: most actors to ask.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def partners(
    ctx: click.Context,
    db: Path | None,
    actor_id: str | None,
    top: int,
    run_backtest: bool,
    k: int,
    seed: int,
    max_queries: int,
    as_json: bool,
    **filters: Any,
) -> None:
    """Whom ACTOR_ID should work with next, why, and who can introduce them.

    Each suggestion is an actor ACTOR_ID has no tie with, scored by network proximity, what the
    two share (strength areas, helix, place) and the gaps the tie would close; it comes with
    its reasons and an introduction path of existing ties. The suggestions are also stored in
    the table partner_suggestions.

    \b
    Filters:
      --kind --helix --municipality --region --area --exclude
          choose which actors may be SUGGESTED;
      --year --from --to --no-synthetic
          limit the network the scores are computed on (it keeps every actor).

    With --backtest (and no ACTOR_ID) the newest 10 % of ties are hidden and predicted, and the
    blend's precision@k, recall@k and mean reciprocal rank are set against random choice,
    common neighbours, preferential attachment and resource allocation.
    """
    actor_filters = {name: filters.pop(name) for name in _ACTOR_FILTERS}
    network = filter_from_options(
        kinds=(), helices=(), municipalities=(), regions=(), areas=(), exclude=(), **filters
    )
    if run_backtest:
        if actor_id is not None:
            raise UsageError("give either ACTOR_ID or --backtest, not both")
        path = db_path(ctx, db)
        with open_db(path, read_only=True) as con:
            check_filter(con, network)
            actors = load_actors(con, network)
            ties = load_ties(con, network, actors)
        result = backtest(actors, ties, k=k, seed=seed, max_queries=max_queries)
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            _print_backtest(result)
        return
    if actor_id is None:
        raise UsageError("give the ACTOR_ID to suggest partners for (or --backtest)")
    candidates = CandidateFilter(**actor_filters)
    weights = PartnerWeights()
    path = db_path(ctx, db)
    with open_db(path) as con:
        check_filter(con, network)
        # the candidates are checked as a filter of their own: whom to suggest must exist
        check_filter(con, GraphFilter(synthetic=network.synthetic, **actor_filters))
        G = load_graph(con, network)
        areas = read_table(con, "strength_areas")
        area_names = dict(zip(areas["area_id"].to_list(), areas["name"].to_list(), strict=True))
        frame = suggest_partners(
            G, actor_id, top=top, weights=weights, candidates=candidates, area_names=area_names
        )
        params = {
            "filter": network.to_params(),
            "candidates": candidates.to_params(),
            "weights": weights.to_params(),
            "top": top,
        }
        write_suggestions(
            con, actor_id, frame, json.dumps(params, sort_keys=True, ensure_ascii=False)
        )
    if as_json:
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str))
        return
    name = G.nodes[actor_id].get("name") or actor_id
    if frame.height == 0:
        click.echo(f"No partners to suggest for {name} ({actor_id}) with these filters.")
        return
    click.echo(f"Partners for {name} ({actor_id}):")
    for row in frame.iter_rows(named=True):
        where = ", ".join(v for v in (row["kind"], row["municipality"]) if v)
        click.echo(f"{row['rank']:>3}. {row['name']} ({where})  score {row['score']:.2f}")
        click.echo(f"     {row['explanation']}")
        path_text = " → ".join(row["introduction_names"]) or "none (no chain of ties leads there)"
        click.echo(f"     introduction: {path_text}")


for _param in partners.params:
    if isinstance(_param, click.Option) and _param.name in _CANDIDATE_HELP:
        _param.help = _CANDIDATE_HELP[_param.name]
