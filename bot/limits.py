"""Discord's message limits, in characters, in one place (discord.com/developers/docs/resources/message)."""

CONTENT_LIMIT = 2000
"""Message content."""
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FIELDS_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
"""All text in the embeds of one message."""
AUTOCOMPLETE_CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
OPTION_VALUE_LIMIT = 100
"""Length of an autocomplete choice's value."""
