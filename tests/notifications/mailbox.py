"""Mail backends for tests.

`FileBackend` writes each message to its own file in MAILBOX_DIR (one file
per hand-over, written atomically), so that tests can count what a real
worker process handed over, by Message-ID — as a mailbox that folds messages
by Message-ID would show them.  It can be slowed down or stopped, so that a
test can SIGKILL a worker at a chosen point of a send:

- MAILBOX_DELAY (seconds): sleep before writing each message (the relay is
  slow to accept it: a kill here hands nothing over);
- MAILBOX_DELAY_AFTER (seconds): sleep after writing it, before returning
  (the relay accepted it, its reply is slow: a kill here is *inside the
  window* between hand-over and the COMMIT that marks the row sent);
- MAILBOX_HANG_AFTER=n: after writing the n-th message of this process, write
  its Message-ID to `MAILBOX_DIR/.in-flight` and block until killed — the
  deterministic version of the window.

`FailingBackend` always refuses."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

IN_FLIGHT = ".in-flight"

# Messages written by this process (MAILBOX_HANG_AFTER counts these).
_written = 0


class FileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        global _written
        folder = Path(os.environ["MAILBOX_DIR"])
        delay = float(os.environ.get("MAILBOX_DELAY", "0"))
        delay_after = float(os.environ.get("MAILBOX_DELAY_AFTER", "0"))
        hang_after = int(os.environ.get("MAILBOX_HANG_AFTER", "0"))
        for message in messages:
            if delay:
                time.sleep(delay)
            tmp = folder / f".{uuid.uuid4().hex}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(folder / f"{uuid.uuid4().hex}.eml")
            _written += 1
            if hang_after and _written == hang_after:
                marker = folder / f"{IN_FLIGHT}.tmp"
                marker.write_text(message.extra_headers["Message-ID"])
                marker.rename(folder / IN_FLIGHT)
                while True:  # handed over; the reply (and our COMMIT) never comes
                    time.sleep(60)
            if delay_after:
                time.sleep(delay_after)
        return len(messages)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP relay refused the connection")


def deliveries(folder: Path) -> dict[str, int]:
    """Message-ID → how many times it was handed over."""
    from email import message_from_bytes

    counts: dict[str, int] = {}
    for path in folder.glob("*.eml"):
        message_id = message_from_bytes(path.read_bytes())["Message-ID"]
        counts[message_id] = counts.get(message_id, 0) + 1
    return counts
