"""Command handlers, grouped by feature; each module has a `register(router, ...)`."""
