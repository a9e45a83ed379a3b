import sys

from yqplan.cli import main

sys.exit(main())
