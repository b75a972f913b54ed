"""Benchmarks that print figures (never pass/fail), and the large-case generator they share."""
