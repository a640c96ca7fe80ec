"""Analysis: the network and what it says about the innovation system.

Building the graph from the store with filters, the igraph engine, actor metrics, group mixing,
support distance, brokerage, structural holes, fragility, coverage, the timeline, partner
suggestions, and ``gaps`` that runs them all. May import ``store`` only: never ``formats``,
``present``, ``cli``, click or Streamlit.
"""
