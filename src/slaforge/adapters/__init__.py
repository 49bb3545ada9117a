"""The outside world: database, importers, renderers, notifiers, payments."""
