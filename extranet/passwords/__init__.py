"""Password rules of the portal's accounts (``AUTH_PASSWORD_VALIDATORS`` in the settings).

``validators`` holds the two rules Django lacks: no first or last name inside the password,
and common passwords French included (the list and its provenance: ``README.md`` here).
"""
