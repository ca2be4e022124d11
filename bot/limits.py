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
EMBED_TITLE_LIMIT = 256
EMBED_AUTHOR_NAME_LIMIT = 256
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FOOTER_LIMIT = 2048
EMBEDS_PER_MESSAGE = 10
EMBED_URL_LIMIT = 2048
"""Longest URL qabot puts on an embed's title or a link button (Discord rejects far longer ones; 512 for buttons)."""
BUTTON_URL_LIMIT = 512
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
"""A component's ``custom_id``, in characters."""
THREAD_NAME_LIMIT = 100
CONTEXT_MENU_NAME_LIMIT = 32
