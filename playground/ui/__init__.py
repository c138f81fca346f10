"""The Qt window. Shows the engine's state and turns clicks into calls."""
