"""The network: its spec, the torch model, and the numpy passes that explain it."""
