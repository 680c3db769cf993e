"""A mail server for the fault tests: it keeps every message it accepts, so a test can count what
was really sent, across any number of worker processes.

It can also stall on the n-th message: it reads the message and then never answers, so the worker
sending it hangs in the middle of the delivery until it is killed. A message is accepted (sent,
for SMTP) only when the server answers 250 after DATA; a stalled one never is.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections import Counter


class SmtpSink:
    def __init__(self, stall_at: int | None = None):
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.messages: list[email.message.Message] = []
        self._received = 0
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 120

            def handle(self):
                sink._converse(self)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _converse(self, h: socketserver.StreamRequestHandler) -> None:
        def reply(line: str) -> None:
            h.wfile.write(f"{line}\r\n".encode())

        reply("220 sink ESMTP")
        while line := h.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                reply("250 sink")
            elif verb == b"DATA":
                reply("354 go ahead")
                lines = []
                while (row := h.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(row[1:] if row.startswith(b"..") else row)
                with self._lock:
                    self._received += 1
                    number = self._received
                if number == self.stall_at:
                    self.stalled.set()
                    h.request.recv(1)  # until the sender dies and its socket closes
                    return
                with self._lock:
                    self.messages.append(email.message_from_bytes(b"".join(lines), policy=email.policy.default))
                reply("250 accepted")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                reply("250 ok")

    def sent(self) -> Counter:
        """(recipient, subject) of every accepted message, with how often each was accepted."""
        with self._lock:
            return Counter((m["To"], " ".join(str(m["Subject"]).split())) for m in self.messages)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
