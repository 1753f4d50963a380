"""Web plumbing shared by the feature blueprints: htmx rendering, errors, response hooks."""
