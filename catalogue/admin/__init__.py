"""Admin of the catalogue, one module per concern."""
