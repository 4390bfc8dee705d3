"""``python -m l1core``: the command line (see :mod:`l1core.cli`)."""

import sys

from .cli import main

sys.exit(main())
