"""Exports of loans for the libraries' own systems (SIGB): UNIMARC ISO 2709 with 995 items,
MARCXML, and the CSV of the lists.

Modules: ``iso2709`` (fast split / build of UTF-8 ISO 2709 bytes), ``unimarc`` (MARC 21 →
UNIMARC conversion, coded data 100, Recommandation 995 items), ``writers`` (streamed files
built from a queryset of loans, one record per title with one 995 per exported item).
"""
