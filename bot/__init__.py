"""The Teams transport: everything that knows botbuilder lives here or in `dialogs/`."""
