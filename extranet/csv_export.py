"""Kept for the modules not yet converted to ``extranet.exports``: the CSV writer now lives there."""

from extranet.exports.formats import csv_lines, csv_response

__all__ = ["csv_lines", "csv_response"]
