"""`python -m tui_nn` is the `tui-nn` command."""

import sys

from tui_nn.cli import main

sys.exit(main())
