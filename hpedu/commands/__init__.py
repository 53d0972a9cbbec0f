"""Sub-command groups of the `hpedu` command line (see hpedu.cli)."""
