"""Training: settings, optimizers, the trainer and its curves, runs and variants."""
