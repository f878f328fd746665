"""Optional virus scanning with clamd's INSTREAM command, over a unix socket or TCP (``CLAMD_SOCKET``)."""

from __future__ import annotations

import socket
import struct

from flask import current_app

CHUNK = 64 * 1024


class ScanUnavailable(RuntimeError):
    """clamd is configured but could not give a verdict: the upload is refused rather than let through."""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)


def scan(data: bytes) -> str | None:
    """The name of the threat clamd found in *data*, None if clean or if scanning is not configured."""
    address = current_app.config.get("CLAMD_SOCKET")
    if not address:
        return None
    try:
        with _connect(address, current_app.config["CLAMD_TIMEOUT"]) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except (OSError, ValueError) as error:
        raise ScanUnavailable(str(error)) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
    raise ScanUnavailable(answer)
