"""Load test of a province-size published event: the seed (`python -m bench.loadtest.seed`) and a locustfile."""
