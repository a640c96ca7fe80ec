"""The command line: ``ecograph``, a thin click layer over the library.

One module per group of sub-commands (``commands`` holds the root group). The only part that
imports click; it may import every other part of ``graph``, never Streamlit.
"""

from graph.cli.commands import cli, main

__all__ = ["cli", "main"]
