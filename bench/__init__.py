"""Benchmarks: they print numbers and write JSON to bench/results/; they are not timed tests."""
