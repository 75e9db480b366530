"""Photo widgets: the thumbnail strip that attaches photos to a target, the annotation
and redaction editor, and the camera dialog.

Everything here reaches the data through :mod:`auditapp.services.photos`; imports and
renders run through :mod:`ui.workers` so the window never freezes.
"""

from __future__ import annotations

from ui.photos.editor import PhotoEditorDialog
from ui.photos.strip import PhotoStrip

__all__ = ["PhotoEditorDialog", "PhotoStrip"]
