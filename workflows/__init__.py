"""The program's use cases as transaction scripts: domain decisions, storage and outbox messages together."""
