"""Curation: keeping the data clean and safe to change.

Matching imported actors to known ones, merging and dismissing matches, deleting actors, and
the access rules of a shared app (who may write). May import ``store`` only.
"""
