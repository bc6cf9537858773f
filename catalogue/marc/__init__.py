"""MARC in and out of the portal.

In (import): ``reading`` (framing and structure, streaming), ``charsets`` (ISO 5426, MARC-8
and the other decoders), ``detection`` (flavour and character set from the data),
``cleaning`` (quirks of real files), ``mapping`` (fields of the portal), ``relators`` (role
codes and their French labels, reused by the export).

Out (export to the libraries' systems): ``unimarc`` (MARC 21 → UNIMARC conversion, coded data
100, Recommandation 995 items), ``export`` (streamed ISO 2709 and MARCXML files built from a
queryset of loans, one record per title with one 995 per exported item).

Both ways: ``iso2709`` (the portal's one ISO 2709 writer and splitter), ``record``.
"""
