"""qabot's Discord side and console: settings, rendering, the client, its cogs, and the ``qabot`` command."""
