"""Benchmarks and bulk data generators for Tradepost: ``make bench`` runs ``bench.run``."""
