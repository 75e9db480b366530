"""One app window per data folder.

Two windows on one database would each keep their own picture of a visit and overwrite
each other's edits. The first GUI on a data folder holds a ``QLockFile`` inside it and
listens on a ``QLocalServer`` named after the folder; a second GUI finds the lock, asks
the first one (over a ``QLocalSocket``) to come to the front and quits. A lock left by a
crashed app is recognised by its process id and taken over, so it never blocks for ever.
The command line is not affected: it may write while the window is open, and the
services' stale-edit checks keep the window from overwriting what it wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = ".auditapp-window.lock"
_ACTIVATE = b"activate\n"
_CONNECT_MS = 1500


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to the folder (and short enough for every platform)."""
    resolved = str(Path(data_dir).expanduser().resolve())
    return "auditapp-" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Holder:
    """Who holds the folder: what QLockFile wrote into the lock."""

    pid: int
    hostname: str
    app: str


class InstanceGuard(QObject):
    """Held by the first window for as long as it runs; ``release()`` when it closes."""

    activateRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir)
        self.lock = QLockFile(str(self.data_dir / LOCK_NAME))
        # Only a dead process makes the lock stale, never its age: a window stays open all day.
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None
        self._sockets: list[QLocalSocket] = []

    def acquire(self) -> bool:
        """True if this process now owns the folder (a stale lock is taken over)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # tryLock removes a lock whose process is gone (same host) and takes it.
        if not self.lock.tryLock(0):
            return False
        self._listen()
        return True

    def holder(self) -> Holder | None:
        info = self.lock.getLockInfo()  # PySide6: (pid, hostname, app), or a falsy value
        if not info or len(info) < 3:
            return None
        pid, hostname, app = info[-3:]
        return Holder(int(pid), str(hostname), str(app)) if pid else None

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by a crashed window: we hold the lock, so it is not in use.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return
        server.newConnection.connect(self._connection)
        self.server = server

    def _connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._sockets.append(socket)
            socket.readyRead.connect(self._read_ready)

    def _read_ready(self) -> None:
        for socket in list(self._sockets):
            if socket.bytesAvailable() and bytes(socket.readAll().data()).startswith(_ACTIVATE.strip()):
                socket.write(b"ok\n")
                socket.flush()
                socket.disconnectFromServer()
                self._sockets.remove(socket)
                self.activateRequested.emit()

    def release(self) -> None:
        """Give the folder back and destroy the server and its sockets now.

        Closing alone leaves the QLocalServer (a child of this guard) and its socket
        notifier alive until the guard is collected, which may be after the application
        is gone ("QSocketNotifier: current thread's event dispatcher has already been
        destroyed"); unparenting hands them to Python, which deletes them here.
        """
        for socket in self._sockets:
            socket.abort()
            socket.setParent(None)
        self._sockets.clear()
        if self.server is not None:
            self.server.close()
            self.server.setParent(None)
            self.server = None
        self.lock.unlock()


def ask_first_window_to_activate(data_dir: Path, timeout_ms: int = _CONNECT_MS) -> bool:
    """Tell the window that holds ``data_dir`` to come to the front; True if it answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(_ACTIVATE)
    socket.flush()
    answered = socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered
