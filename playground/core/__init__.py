"""The engine: data, network spec, model, trainer, predictor, project files.

Plain numpy and torch; nothing here imports Qt. The spec, config and data
modules do not import torch either, so a window can appear before torch loads.
"""
