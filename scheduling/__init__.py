"""Scheduled jobs (APScheduler 3) and leadership: which replica runs them and the outbox sender."""
