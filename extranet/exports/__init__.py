"""The export framework of the portal: exporters, their registry, formats (see ``base``).

Apps declare their exporters in ``<app>/exports.py`` and register them from their
``AppConfig.ready()``; ``extranet.exports.services.export_response`` answers every export
request (streamed, or a background ``ExportJob`` above ``EXPORT_ASYNC_THRESHOLD`` rows).
This package imports no domain app.
"""

from extranet.exports.base import Exporter, ExportError, ExportParameters, PartnerExporter, Progress, StaffExporter
from extranet.exports.formats import CSV, ExportFormat, csv_chunks, csv_lines, csv_response
from extranet.exports.registry import ExporterNotFound, get, register, registered, unregister

__all__ = [
    "CSV",
    "ExportError",
    "ExportFormat",
    "ExportParameters",
    "Exporter",
    "ExporterNotFound",
    "PartnerExporter",
    "Progress",
    "StaffExporter",
    "csv_chunks",
    "csv_lines",
    "csv_response",
    "get",
    "register",
    "registered",
    "unregister",
]
