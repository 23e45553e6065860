"""PyInstaller entry script: the frozen app starts here and runs the normal command line."""

from playground.app import main

raise SystemExit(main())
