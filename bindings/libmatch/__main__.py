"""``python -m libmatch``: the ``libmatch`` command (see :mod:`libmatch.cli`)."""

import sys

from .cli import main

sys.exit(main())
