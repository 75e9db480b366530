"""Service functions: every data-changing action, shared by the GUI, the CLI and tests.

They take a :class:`~auditapp.db.Database`, do one unit of work (committed at once) and
return plain frozen dataclasses, never ORM objects, so callers cannot touch a session.
"""
