"""Datasets: the shipped region and the synthetic demo layer.

``synth`` generates a labelled synthetic ecosystem from a seed; ``bootstrap`` creates a database
from ``data/jamtland/`` (and the synthetic layer) through the normal import. May import
``store``, ``formats`` and ``curation``.
"""
