"""Present: what people look at, built from analysis results.

Interactive pyvis maps and geographic layers (``maps``) and the HTML gap report (``report``).
May import ``analysis`` and ``store``; never Streamlit or click.
"""
