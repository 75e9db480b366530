"""The rectification ledger (整改台账) as an .xlsx workbook: exported for the office or for a
department to fill in, and the department's workbook read back as rectification events.

``export`` writes, ``read`` validates and imports, ``calendar`` writes the deadlines as an
.ics file; the rows themselves come from :mod:`auditapp.services.ledger`.
"""
