"""The network editor: the drawn network, its layer cards, neuron maps and overlays."""
