"""Benchmarks run by `make bench` (never collected by pytest): they print figures, never assert timings."""
