"""Benchmarks and load tests, run on demand (`make bench`, `make loadtest`), never in CI."""
