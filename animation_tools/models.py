"""Models of the animation_tools app."""
