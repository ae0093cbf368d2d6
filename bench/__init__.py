"""Benchmarks of the scheduling engine against a plain CP-SAT model and a greedy round robin."""
