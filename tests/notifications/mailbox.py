"""Mail backends for tests.

`FileBackend` writes each message to its own file in MAILBOX_DIR (one file
per delivery, written atomically), so that tests can count deliveries made
by a real worker process.  MAILBOX_DELAY (seconds) makes each send slow, so
a test can kill a worker in the middle of a batch.  `FailingBackend` always
refuses."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["MAILBOX_DIR"])
        delay = float(os.environ.get("MAILBOX_DELAY", "0"))
        for message in messages:
            if delay:
                time.sleep(delay)
            tmp = folder / f".{uuid.uuid4().hex}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(folder / f"{uuid.uuid4().hex}.eml")
        return len(messages)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP relay refused the connection")


def deliveries(folder: Path) -> dict[str, int]:
    """Message-ID → how many times it was delivered."""
    from email import message_from_bytes

    counts: dict[str, int] = {}
    for path in folder.glob("*.eml"):
        message_id = message_from_bytes(path.read_bytes())["Message-ID"]
        counts[message_id] = counts.get(message_id, 0) + 1
    return counts
