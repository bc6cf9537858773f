"""The export framework of the portal: exporters, their registry, formats (see ``base``).

Apps list their exporter classes in ``<app>/exports.py`` (``EXPORTERS``), registered by
``registry.autodiscover()`` when extranet is ready; ``extranet.exports.services.export_response`` answers every export
request (streamed, or a background ``ExportJob`` above ``EXPORT_ASYNC_THRESHOLD`` rows).
This package imports no domain app.
"""

from extranet.exports.base import Exporter, ExportError, ExportParameters, PartnerExporter, Progress, StaffExporter
from extranet.exports.cells import CODE, DATE, DATETIME, NUMBER, TEXT, Column
from extranet.exports.formats import CSV, XLSX, ExportFormat, csv_chunks, csv_lines, csv_response
from extranet.exports.registry import ExporterNotFound, autodiscover, get, register, registered, unregister

__all__ = [
    "CODE",
    "CSV",
    "DATE",
    "DATETIME",
    "NUMBER",
    "TEXT",
    "XLSX",
    "Column",
    "ExportError",
    "ExportFormat",
    "ExportParameters",
    "Exporter",
    "ExporterNotFound",
    "PartnerExporter",
    "Progress",
    "StaffExporter",
    "autodiscover",
    "csv_chunks",
    "csv_lines",
    "csv_response",
    "get",
    "register",
    "registered",
    "unregister",
]
