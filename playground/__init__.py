"""Neural Network Playground: design a network, watch it learn, classify penguins."""

__version__ = "0.1.0"
