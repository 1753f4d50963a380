"""Who may see and change what: every permission rule of the portal lives in this package."""
