"""``python -m eaccounting.cli``."""

import sys

from . import main

sys.exit(main())
