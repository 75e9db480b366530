"""PySide6 layer of the audit app: windows, dialogs, item models and workers.

It holds no SQL and no business rules; everything goes through ``auditapp.services``.
"""
