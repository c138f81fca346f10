"""The bundled executable's entry point: the same `playground` command as pip installs."""

from playground.cli import main

raise SystemExit(main())
