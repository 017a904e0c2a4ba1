"""``python -m eaccounting.cli.spec_diff OLD NEW [--json] [--full] [--fail-on-breaking]``."""

import sys

from .command import main

sys.exit(main())
