"""SIASN integration: course records out, certificates and reference data in."""
