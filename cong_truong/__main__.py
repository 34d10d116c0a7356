"""`python -m cong_truong …` is the command `cong-truong …`."""

import sys

from .cli import main

sys.exit(main())
