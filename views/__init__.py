"""Shared card pieces (Adaptive Cards 1.5, as data) and the platform's help and status cards;
each feature builds its own cards in its `views.py` from these (no SDK)."""
