"""Admin of the catalogue."""
