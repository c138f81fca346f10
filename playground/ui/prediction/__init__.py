"""The prediction panel: measurements in, probabilities out."""
