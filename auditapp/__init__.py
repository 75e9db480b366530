"""Qt-free core of the mystery-patient hospital audit app.

Everything that changes data lives here so that the GUI (``ui/``), the command
line and the tests share one implementation.
"""

__version__ = "0.2.0"
