"""Demonstration data: ARNia's 2024 programme, and a synthetic national programme for benchmarks."""
