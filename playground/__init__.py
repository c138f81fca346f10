"""Neural Network Playground: design a network, watch it learn, classify penguins."""

import os

# numpy's OpenBLAS, left to itself, shares out products as small as the neuron maps'
# resampling (37 × 32 by 32 × 370 in a 1400 × 900 window) with a second thread, and
# keeps that thread spinning about 0.1 s after each: a tenth of a core while training
# with the maps on, for products that take 0.2 ms on one thread. The window's numpy
# work is all that small; torch has threads of its own (MKL, OpenMP). Set before numpy
# is first imported; a person's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
