"""The exporters of the portal, registered by the apps that own their lists.

The ground never imports a domain app: each app lists its exporter classes in
``<app>/exports.py`` (``EXPORTERS = [...]``) and ``autodiscover()``, called by
``ExtranetConfig.ready()``, registers them, as ``django.contrib.admin`` discovers the
``admin.py`` modules.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from extranet.exports.base import Exporter

_exporters: dict[str, Exporter] = {}


class ExporterNotFound(LookupError):
    """No exporter has this identifier."""


def register(exporter: Exporter) -> Exporter:
    """Add ``exporter`` under its identifier; registering the same class again replaces it
    (``ready()`` may run twice), another class with a taken identifier is an error."""
    current = _exporters.get(exporter.identifier)
    if current is not None and type(current) is not type(exporter):
        raise ValueError(f"export identifier {exporter.identifier!r} is already used by {type(current).__name__}")
    _exporters[exporter.identifier] = exporter
    return exporter


def unregister(identifier: str) -> None:
    """Remove an exporter (tests register throwaway exporters)."""
    _exporters.pop(identifier, None)


def get(identifier: str) -> Exporter:
    """The exporter registered as ``identifier``; ``ExporterNotFound`` otherwise."""
    try:
        return _exporters[identifier]
    except KeyError as exc:
        raise ExporterNotFound(identifier) from exc


def registered() -> list[Exporter]:
    """Every registered exporter, by identifier."""
    return [_exporters[key] for key in sorted(_exporters)]


def autodiscover() -> None:
    """Register the ``EXPORTERS`` of every installed app's ``exports`` module (idempotent)."""
    for app_config in apps.get_app_configs():
        if app_config.name == "extranet" or not module_has_submodule(app_config.module, "exports"):
            continue
        module = import_module(f"{app_config.name}.exports")
        for exporter_class in getattr(module, "EXPORTERS", []):
            register(exporter_class())
