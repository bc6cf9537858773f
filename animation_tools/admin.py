"""Admin of the animation_tools app."""
