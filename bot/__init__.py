"""The Teams transport: HTTP edge, adapter, middleware, router, outbox sender, and the `Feature`
declaration features fill in. Everything that knows botbuilder lives here or in `dialogs/`."""
