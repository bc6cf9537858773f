"""Admin of the catalogue, one module per concern."""

from catalogue.admin import (
    export_profiles,  # noqa: F401
    loans,  # noqa: F401
    records,  # noqa: F401
    renewals,  # noqa: F401
    reservations,  # noqa: F401
    search,  # noqa: F401
)
