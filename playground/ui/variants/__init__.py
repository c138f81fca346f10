"""Train variants: one network trained K times side by side, in a window of its own."""
