"""``python -m graph.cli``: the same as the ``ecograph`` command."""

from graph.cli.commands import main

main()
