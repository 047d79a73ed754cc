"""Big public downloads, built once per change of their content and then sent from a file.

Each kind of content (``name``) has a *generation*: a random token in the shared cache that
the owning app replaces when its content changes (``content_changed``). A download is written
to ``VAR_DIR/downloads/`` under its generation while it streams to the first person asking;
everyone after gets the file (``FileResponse``: the worker hands it to ``sendfile``), so a
download costs no query and no Python per row, and concurrent downloads leave the workers
free for pages. Files of older generations are removed when a new one is complete. When the
shared cache does not answer, nothing is known to be current: the download streams from the
database instead.
"""

import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse

logger = logging.getLogger(__name__)


def generation_key(name: str) -> str:
    return f"downloads:generation:{name}"


def generation(name: str) -> str | None:
    """The current token of `name`'s content; None while the shared cache does not answer."""
    key = generation_key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return value


def content_changed(name: str) -> None:
    """A new generation once the current transaction commits: the files are built again."""
    transaction.on_commit(lambda: cache.set(generation_key(name), uuid.uuid4().hex, None))


def directory() -> Path:
    return Path(settings.VAR_DIR) / "downloads"


def streamed(chunks: Iterable[bytes], *, content_type: str, filename: str):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def written_while_sent(chunks: Iterable[bytes], path: Path) -> Iterator[bytes]:
    """Yield the chunks and keep a copy; the copy becomes `path` only once it is complete."""
    part = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        with part.open("wb") as copy:
            for chunk in chunks:
                copy.write(chunk)
                yield chunk
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    for older in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*"):
        if older != path and not older.name.endswith(".part"):
            older.unlink(missing_ok=True)


def serve(
    *,
    name: str,
    variant: str,
    chunks: Callable[[], Iterable[bytes]],
    content_type: str,
    filename: str,
):
    """The download `variant` of `name`'s content: from its file when built, else built now.

    `variant` tells apart files of the same content that differ (their format); `chunks` makes
    the body when the file is not there.
    """
    token = generation(name)
    if token is None:
        return streamed(chunks(), content_type=content_type, filename=filename)
    digest = hashlib.sha256(variant.encode()).hexdigest()[:16]
    path = directory() / f"{name}-{digest}-{token}"
    if path.exists():
        try:
            body = path.open("rb")
        except OSError:
            pass
        else:
            return FileResponse(
                body, content_type=content_type, as_attachment=True, filename=filename
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        logger.warning("downloads: %s cannot be created; streaming instead", path.parent)
        return streamed(chunks(), content_type=content_type, filename=filename)
    copied = written_while_sent(chunks(), path)
    return streamed(copied, content_type=content_type, filename=filename)
