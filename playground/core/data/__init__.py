"""Data sets: the built-in penguins and toy sets, CSV import, the split."""
