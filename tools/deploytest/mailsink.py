"""An SMTP server on loopback that keeps what it accepts, for the worker's email.

A message counts as delivered only once the sink answers 250 to it. `delay` holds each
message before that answer; a client gone meanwhile (a worker killed mid-send) has delivered
nothing, as with a real server that never sent its 250.
"""

import email
import email.policy
import socket
import socketserver
import threading
import time


class MailSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.port = self.server_address[1]
        self.messages: list[email.message.EmailMessage] = []
        self.delay = 0.0
        self.holding = 0
        self.changed = threading.Condition()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def keep(self, data: bytes) -> None:
        with self.changed:
            self.messages.append(email.message_from_bytes(data, policy=email.policy.default))
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def to(self, address: str) -> list:
        with self.changed:
            return [m for m in self.messages if address in str(m["To"])]


def gone(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        connection.setblocking(True)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sink: MailSink = self.server
        self.reply("220 localhost ESMTP sink")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                with sink.changed:
                    sink.holding += 1
                    sink.changed.notify_all()
                time.sleep(sink.delay)
                with sink.changed:
                    sink.holding -= 1
                if gone(self.connection):
                    return
                sink.keep(bytes(data))
                self.reply("250 kept")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")
