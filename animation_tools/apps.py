from django.apps import AppConfig


class AnimationToolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "animation_tools"

    def ready(self) -> None:
        from animation_tools.exports import EXPORTERS
        from extranet import exports

        for exporter in EXPORTERS:
            exports.register(exporter())
