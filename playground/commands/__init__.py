"""The subcommands of `playground`, one module each, imported only when used."""
