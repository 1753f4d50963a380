"""Demo data for trying the portal and for benchmarks."""
