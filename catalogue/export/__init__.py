"""Exports of loans for the libraries' own systems (SIGB): UNIMARC ISO 2709 with 995 items,
MARCXML, and the CSV of the lists.

Modules: ``unimarc`` (MARC 21 → UNIMARC conversion, coded data 100, Recommandation 995
items), ``writers`` (streamed files built from a queryset of loans, one record per title with
one 995 per exported item). The ISO 2709 bytes themselves are split and built by
``catalogue.marc.iso2709``, the portal's one ISO 2709 writer.
"""
