"""Allow ``python -m auditapp`` (used by tests and scripts that must not rely on PATH)."""

from auditapp.cli import main

raise SystemExit(main())
