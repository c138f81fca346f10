"""The training thread and its controls: worker, controller, settings, toolbar."""
