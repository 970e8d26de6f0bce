"""The Teams app manifest template, its icons and the package builder."""
