"""`playground bench`: the application measured against a bare PyTorch loop.

Each measurement is a module; `run.py` runs them in one process and prints the table.
"""
