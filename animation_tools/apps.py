from django.apps import AppConfig


class AnimationToolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "animation_tools"
