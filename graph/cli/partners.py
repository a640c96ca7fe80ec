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
from graph.cli.language import Command, cli_translator, people_table
from graph.cli.options import db_option, db_path, filter_from_options, filter_options, format_table
from graph.errors import UsageError
from graph.i18n import N_, Translator, display_name
from graph.store.database import open_db, read_table

__all__ = ["HELP", "TEXTS", "partners"]

_ACTOR_FILTERS = ("kinds", "helices", "municipalities", "regions", "areas", "exclude")

HELP = {
    "partners": N_(
        "Whom ACTOR_ID should work with next, why, and who can introduce them.\n\n"
        "Each suggestion is an actor ACTOR_ID has no tie with, scored by network proximity, "
        "what the two share (strength areas, helix, place) and the gaps the tie would close; it "
        "comes with its reasons and an introduction path of existing ties. The suggestions are "
        "also stored in the table partner_suggestions.\n\n"
        "\b\n"
        "Filters:\n"
        "  --kind --helix --municipality --region --area --exclude\n"
        "      choose which actors may be SUGGESTED;\n"
        "  --year --from --to --no-synthetic\n"
        "      limit the network the scores are computed on (it keeps every actor).\n\n"
        "With --backtest (and no ACTOR_ID) the newest 10 % of ties are hidden and predicted, "
        "and the blend's precision@k, recall@k and mean reciprocal rank are set against random "
        "choice, common neighbours, preferential attachment and resource allocation."
    ),
    "top": N_("How many suggestions."),
    "backtest": N_(
        "Instead of suggesting: hide the newest ties, predict them and compare the blend with "
        "the baselines."
    ),
    "k": N_("Backtest: length of the scored suggestion lists (precision@k, recall@k)."),
    "seed": N_("Backtest: seed of the sample of actors, random splits and ties."),
    "max_queries": N_("Backtest: most actors to ask."),
    "json": N_("Print JSON."),
}
# The shared filter options say "keep actors"; here they choose whom to suggest.
_CANDIDATE_HELP = {
    "kinds": N_("Suggest only actors of this kind (repeatable)."),
    "helices": N_("Suggest only actors of this helix."),
    "municipalities": N_("Suggest only actors in this municipality."),
    "regions": N_("Suggest only actors in this region."),
    "areas": N_("Suggest only actors in this strength area (id)."),
    "exclude": N_("Never suggest this actor (id)."),
}
TEXTS = {
    "backtest": N_(
        "Backtest: {split}; {train} known pairs, {hidden} new pairs to find, {queries} actors "
        "asked (seed {seed})."
    ),
    "actor_or_backtest": N_("give either ACTOR_ID or --backtest, not both"),
    "which_actor": N_("give the ACTOR_ID to suggest partners for (or --backtest)"),
    "none": N_("No partners to suggest for {name} ({actor_id}) with these filters."),
    "heading": N_("Partners for {name} ({actor_id}):"),
    "suggestion": N_("{rank}. {name} ({where})  score {score}"),
    "introduction": N_("introduction: {path}"),
    "no_path": N_("none (no chain of ties leads there)"),
}


def _print_backtest(result: BacktestResult, t: Translator) -> None:
    click.echo(
        t.gettext(TEXTS["backtest"]).format(
            split=result.split,
            train=t.number(result.train_pairs),
            hidden=t.number(result.hidden_pairs),
            queries=t.number(result.queries),
            seed=result.seed,
        )
    )
    frame = result.to_frame().rename(
        {"precision_at_k": f"precision@{result.k}", "recall_at_k": f"recall@{result.k}"}
    )
    click.echo(format_table(people_table(frame, t)))


@click.command(cls=Command, help=HELP["partners"])
@db_option
@click.argument("actor_id", required=False)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help=HELP["top"])
@filter_options
@click.option("--backtest", "run_backtest", is_flag=True, help=HELP["backtest"])
@click.option("--k", type=click.IntRange(min=1), default=10, show_default=True, help=HELP["k"])
@click.option("--seed", type=int, default=42, show_default=True, help=HELP["seed"])
@click.option(
    "--max-queries",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help=HELP["max_queries"],
)
@click.option("--json", "as_json", is_flag=True, help=HELP["json"])
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
    t = cli_translator(ctx)
    actor_filters = {name: filters.pop(name) for name in _ACTOR_FILTERS}
    network = filter_from_options(
        kinds=(), helices=(), municipalities=(), regions=(), areas=(), exclude=(), **filters
    )
    if run_backtest:
        if actor_id is not None:
            raise UsageError(t.gettext(TEXTS["actor_or_backtest"]))
        path = db_path(ctx, db)
        with open_db(path, read_only=True) as con:
            check_filter(con, network)
            actors = load_actors(con, network)
            ties = load_ties(con, network, actors)
        result = backtest(actors, ties, k=k, seed=seed, max_queries=max_queries)
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            _print_backtest(result, t)
        return
    if actor_id is None:
        raise UsageError(t.gettext(TEXTS["which_actor"]))
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
        click.echo(t.gettext(TEXTS["none"]).format(name=name, actor_id=actor_id))
        return
    click.echo(t.gettext(TEXTS["heading"]).format(name=name, actor_id=actor_id))
    for row in frame.iter_rows(named=True):
        kind = display_name("actor_kind", row["kind"], t.lang) if row["kind"] else None
        where = ", ".join(v for v in (kind, row["municipality"]) if v)
        line = t.gettext(TEXTS["suggestion"]).format(
            rank=f"{row['rank']:>3}", name=row["name"], where=where, score=t.number(row["score"], 2)
        )
        click.echo(line)
        click.echo(f"     {row['explanation']}")
        path_text = " → ".join(row["introduction_names"]) or t.gettext(TEXTS["no_path"])
        click.echo("     " + t.gettext(TEXTS["introduction"]).format(path=path_text))


for _param in partners.params:
    if isinstance(_param, click.Option) and _param.name in _CANDIDATE_HELP:
        _param.help = _CANDIDATE_HELP[_param.name]
