"""`python -m cong_truong.gates [--output output] [--skip …] [--all-pages]`: every gate, in one run."""

import sys

from .runner import main

sys.exit(main())
