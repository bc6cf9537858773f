"""Checks of produced MARC files shared by the export tests: pymarc and yaz-marcdump read
them without a single warning."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import warnings

import pymarc
import pytest

YAZ = shutil.which("yaz-marcdump") or ("/usr/bin/yaz-marcdump" if os.path.exists("/usr/bin/yaz-marcdump") else None)


def read_with_pymarc(data: bytes) -> list[pymarc.Record]:
    """Every record of ``data``; fails on any reader error or warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True, utf8_handling="strict")
        records = []
        for record in reader:
            assert record is not None, f"pymarc could not read a record: {reader.current_exception!r}"
            records.append(record)
    return records


def yaz_dump(data: bytes, *, input_format: str = "marc") -> str:
    """``yaz-marcdump -o line`` of ``data``; fails on a non-zero exit, stderr or a warning line."""
    if YAZ is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but yaz-marcdump is not installed (Debian package yaz)")
        pytest.skip("yaz-marcdump is not installed (Debian package yaz): yaz checks skipped")
    suffix = ".xml" if input_format == "marcxml" else ".mrc"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(  # noqa: S603 - fixed binary, our own temporary file
            [YAZ, "-i", input_format, "-o", "line", handle.name], capture_output=True, check=False
        )
    output = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b"", result.stderr.decode("utf-8", "replace")
    problems = [line for line in output.splitlines() if line.startswith("(") or "<!--" in line]
    assert not problems, problems
    return output


def barcodes_995(records: list[pymarc.Record]) -> list[str]:
    return [value for record in records for field in record.get_fields("995") for value in field.get_subfields("f")]
