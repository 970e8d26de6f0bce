"""Persistence: SQLModel tables, the engine, repositories and migrations (no botbuilder here)."""
