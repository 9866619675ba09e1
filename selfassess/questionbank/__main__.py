"""Check the question bank from the command line: `python -m selfassess.questionbank [PATH ...]`."""

import sys

from selfassess.questionbank.report import main

sys.exit(main())
