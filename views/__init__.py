"""What users see: Adaptive Cards and message texts, built from domain objects (no SDK)."""
