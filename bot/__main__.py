"""``python -m bot`` is the ``qabot`` console command."""

import sys

from bot.cli import main

sys.exit(main())
