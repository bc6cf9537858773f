"""Reading ISO 2709 / MARCXML files, detecting their flavour and character set, and mapping
UNIMARC and MARC 21 records to the portal's ``Record`` / ``Item`` fields.

Modules: ``reading`` (framing and structure, streaming), ``charsets`` (ISO 5426, MARC-8 and
the other decoders), ``detection`` (flavour and character set from the data), ``cleaning``
(quirks of real files), ``mapping`` (fields of the portal), ``relators`` (role codes and
their French labels, reused by the export), ``iso2709`` (UTF-8 serialisation).
"""
