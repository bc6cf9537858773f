"""Admin of the trainings app."""
