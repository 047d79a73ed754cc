"""Big public downloads, built once per change of their content and then sent from a file.

Each kind of content (``name``) has a *generation*: a random token in the database
(``core.models.ContentVersion``) that the owning app replaces when its content changes
(``content_changed``). It is kept beside the content, not in the shared cache, so a change made
while the cache is away still reaches the files (one query by primary key per download). A
download is written
to ``VAR_DIR/downloads/`` under its generation while it streams to the first person asking;
everyone after gets the file (``FileResponse``: the worker hands it to ``sendfile``), so a
download costs one small query and no Python per row, and concurrent downloads leave the
workers free for pages. Files of older generations are removed when a new one is complete.

Each file is also kept gzipped (compressed once, while the first copy is written): a client
that accepts gzip, as every browser does, gets a tenth of the bytes, which is a phone's data
plan spared and a worker freed ten times sooner.
"""

import hashlib
import logging
import os
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


def generation(name: str) -> str:
    """The current token of `name`'s content, read from the database."""
    from core.models import ContentVersion

    token = ContentVersion.objects.filter(name=name).values_list("token", flat=True).first()
    if token is None:
        token = ContentVersion.objects.get_or_create(
            name=name, defaults={"token": uuid.uuid4().hex}
        )[0].token
    return token


def renew(name: str) -> None:
    from core.models import ContentVersion

    token = uuid.uuid4().hex
    try:
        if not ContentVersion.objects.filter(name=name).update(token=token):
            try:
                with transaction.atomic():
                    ContentVersion.objects.create(name=name, token=token)
            except IntegrityError:  # created by a concurrent request meanwhile
                ContentVersion.objects.filter(name=name).update(token=token)
    except DatabaseError:
        logger.exception("downloads: the version of %s could not be renewed", name)


def content_changed(name: str) -> None:
    """A new generation once the current transaction commits: the files are built again.

    Renewed after the commit, not inside the transaction: two transactions that lock rows in
    different orders never also wait on each other for this one row.
    """
    transaction.on_commit(lambda: renew(name))


def directory() -> Path:
    return Path(settings.VAR_DIR) / "downloads"


def streamed(chunks: Iterable[bytes], *, content_type: str, filename: str):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def accepts_gzip(request) -> bool:
    """The client said it takes gzip (and did not refuse it with q=0)."""
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() != "gzip":
            continue
        quality = params.strip().lower().removeprefix("q=").strip() if params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def gzipped(path: Path) -> Path:
    return path.with_name(path.name + ".gz")


def written_while_sent(chunks: Iterable[bytes], path: Path) -> Iterator[bytes]:
    """Yield the chunks and keep a copy and a gzipped copy; they become `path` and its `.gz`
    only once complete."""
    suffix = f".{os.getpid()}-{threading.get_ident()}.part"
    part, gz_part = path.with_name(path.name + suffix), path.with_name(path.name + ".gz" + suffix)
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    try:
        with part.open("wb") as copy, gz_part.open("wb") as gz_copy:
            for chunk in chunks:
                copy.write(chunk)
                gz_copy.write(compressor.compress(chunk))
                yield chunk
            gz_copy.write(compressor.flush())
        gz_part.replace(gzipped(path))
        part.replace(path)  # last: the file's presence says both are complete
    finally:
        part.unlink(missing_ok=True)
        gz_part.unlink(missing_ok=True)
    for older in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*"):
        if not older.name.startswith(path.name) and not older.name.endswith(".part"):
            older.unlink(missing_ok=True)


def serve(
    *,
    name: str,
    variant: str,
    chunks: Callable[[], Iterable[bytes]],
    content_type: str,
    filename: str,
    gzip: bool = False,
):
    """The download `variant` of `name`'s content: from its file when built, else built now.

    `variant` tells apart files of the same content that differ (their format); `chunks` makes
    the body when the file is not there; `gzip` says the client takes the gzipped file
    (`accepts_gzip(request)`).
    """
    token = generation(name)
    digest = hashlib.sha256(variant.encode()).hexdigest()[:16]
    path = directory() / f"{name}-{digest}-{token}"
    if path.exists():
        try:
            body = (gzipped(path) if gzip else path).open("rb")
        except OSError:
            pass
        else:
            response = FileResponse(
                body, content_type=content_type, as_attachment=True, filename=filename
            )
            if gzip:
                response["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ["Accept-Encoding"])
            return response
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        logger.warning("downloads: %s cannot be created; streaming instead", path.parent)
        return streamed(chunks(), content_type=content_type, filename=filename)
    copied = written_while_sent(chunks(), path)
    response = streamed(copied, content_type=content_type, filename=filename)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
