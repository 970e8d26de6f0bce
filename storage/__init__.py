"""Persistence shared by every feature: the engine and units of work, the outbox, dialog state,
and the shared tables (members, conversations, the directory, champions, leads, settings).
Features keep their own tables and repositories in their folders (no botbuilder here)."""
