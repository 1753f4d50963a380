"""Survey engine: definitions, expression language, runtime logic and XLSForm import."""
