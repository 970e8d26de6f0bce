"""The program's features, one folder each; `features/installed.py` lists the ones that run."""
