"""Benchmarks. `make bench` runs them; docs/performance.md records the figures."""
