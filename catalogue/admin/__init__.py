"""Admin of the catalogue, one module per concern."""
from catalogue.admin import records  # noqa: F401
from catalogue.admin import loans  # noqa: F401
from catalogue.admin import search  # noqa: F401
from catalogue.admin import reservations  # noqa: F401
