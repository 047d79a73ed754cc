"""Big public downloads, built once per change of their content and then sent from a file.

Each kind of content (``name``) has a *generation*: a random token in the database
(``core.models.ContentVersion``) that the owning app replaces when its content changes
(``content_changed``), with the time it changed. It is kept beside the content, not in the
shared cache, so a change made while the cache is away still reaches the files (one query by
primary key per download). A download is written to ``VAR_DIR/downloads/`` under its generation
while it streams to the first person asking; everyone after gets the file (``FileResponse``: the
worker hands it to ``sendfile``), so a download costs one small query and no Python per row, and
concurrent downloads leave the workers free for pages. Files of older generations are removed
when a new one is complete.

One build at a time per file: the builder holds a lock on the file's name (``flock``, released
by the kernel if the worker dies). Anyone asking meanwhile gets the previous generation's file
when there is one (labelled with its own ETag, so a client never takes it for the new one), or
waits briefly for the build; nobody builds the same file twice.

Each file is also kept gzipped (compressed once, while the first copy is written): a client
that accepts gzip, as every browser does, gets a tenth of the bytes, which is a phone's data
plan spared and a worker freed ten times sooner. The first client gets the gzip stream too.

Every answer carries a strong ETag (the generation, the variant and the encoding) and the
generation's Last-Modified, so a script polling a file gets a 304 with no body until it changes.

Variants of a file that a request chooses (a ``?since=`` day) are a bounded family: the caller
maps the request onto a bounded set of variants, and the newest ``kept`` files of the family stay
on disk, the oldest removed first.
"""

import fcntl
import hashlib
import logging
import os
import threading
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core import ratelimit
from core.clients import client_address, client_bucket

logger = logging.getLogger(__name__)

# How long a request waits for someone else's build of the same file when there is no previous
# file to send: the build of the biggest file at 100 times today's data takes about 6 s.
BUILD_WAIT_SECONDS = 30
# A client may keep a file this long without asking again; then it asks with If-None-Match.
MAX_AGE_SECONDS = 60


def version(name: str) -> tuple[str, datetime]:
    """The current token of `name`'s content and when it was made, read from the database."""
    from core.models import ContentVersion

    row = ContentVersion.objects.filter(name=name).values_list("token", "changed_at").first()
    if row is None:
        made = ContentVersion.objects.get_or_create(
            name=name, defaults={"token": uuid.uuid4().hex}
        )[0]
        row = (made.token, made.changed_at)
    return row


def generation(name: str) -> str:
    """The current token of `name`'s content, read from the database."""
    return version(name)[0]


def renew(name: str, *, announce: bool = True) -> None:
    """A new generation of `name`'s content; then `content_renewed` tells who prepares ahead
    (unless `announce` is false)."""
    from core.models import ContentVersion
    from core.signals import content_renewed

    token, now = uuid.uuid4().hex, timezone.now()
    try:
        if not ContentVersion.objects.filter(name=name).update(token=token, changed_at=now):
            try:
                with transaction.atomic():
                    ContentVersion.objects.create(name=name, token=token, changed_at=now)
            except IntegrityError:  # created by a concurrent request meanwhile
                ContentVersion.objects.filter(name=name).update(token=token, changed_at=now)
    except DatabaseError:
        logger.exception("downloads: the version of %s could not be renewed", name)
        return
    if announce:
        content_renewed.send_robust(sender=None, name=name, token=token)


class Renewal:
    """A renewal of `name` left for the commit of the transaction that changed it.

    Every renewal a transaction leaves runs at its commit, after all of its changes: the first
    renews and the others, seeing a renewal made since they were left, do nothing. A
    transaction that saves 82 rows renews once; a savepoint rolled back takes its renewals with
    it (Django drops them), the others stay.
    """

    def __init__(self, name: str):
        self.name = name
        self.connection = transaction.get_connection()
        self.seen = renewals_run(self.connection)[name]

    def __call__(self) -> None:
        run = renewals_run(self.connection)
        if run[self.name] > self.seen:  # renewed after this change was made: it is included
            return
        run[self.name] += 1
        renew(self.name)


def renewals_run(connection) -> Counter:
    """How many renewals of each name have run on this connection (one per thread)."""
    return connection.__dict__.setdefault("cope_renewals_run", Counter())


def content_changed(name: str) -> None:
    """A new generation once the current transaction commits: the files are built again.

    Renewed after the commit, not inside the transaction: two transactions that lock rows in
    different orders never also wait on each other for this one row.
    """
    transaction.on_commit(Renewal(name))


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


def is_complete_file(path: Path) -> bool:
    return not path.name.endswith((".gz", ".part", ".lock"))


def written_while_sent(
    chunks: Iterable[bytes], path: Path, *, send_gzip: bool = False, kept: int | None = None
) -> Iterator[bytes]:
    """Yield the chunks (gzipped when `send_gzip`) and keep a copy and a gzipped copy; they
    become `path` and its `.gz` only once complete."""
    suffix = f".{os.getpid()}-{threading.get_ident()}.part"
    part, gz_part = path.with_name(path.name + suffix), path.with_name(path.name + ".gz" + suffix)
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip stream
    try:
        with part.open("wb") as copy, gz_part.open("wb") as gz_copy:
            for chunk in chunks:
                copy.write(chunk)
                packed = compressor.compress(chunk)
                gz_copy.write(packed)
                if not send_gzip:
                    yield chunk
                elif packed:
                    yield packed
            packed = compressor.flush()
            gz_copy.write(packed)
            if send_gzip:
                yield packed
        gz_part.replace(gzipped(path))
        part.replace(path)  # last: the file's presence says both are complete
    finally:
        part.unlink(missing_ok=True)
        gz_part.unlink(missing_ok=True)
    for older in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*"):
        if not older.name.startswith(path.name) and not older.name.endswith(".part"):
            older.unlink(missing_ok=True)
    if kept is not None:
        keep_newest(path.parent, kept)


def keep_newest(folder: Path, kept: int) -> None:
    """Remove the oldest complete files of `folder` beyond the newest `kept` (and their .gz)."""
    files = []
    for file in folder.iterdir():
        if is_complete_file(file):
            try:
                files.append((file.stat().st_mtime, file))
            except OSError:
                continue
    for _, file in sorted(files, reverse=True)[kept:]:
        file.unlink(missing_ok=True)
        gzipped(file).unlink(missing_ok=True)


def sent_from_file(path: Path, *, gzip: bool, content_type: str, filename: str):
    """The built file as a response, or None when it is not (or no longer) there."""
    try:
        body = (gzipped(path) if gzip else path).open("rb")
    except OSError:
        return None
    response = FileResponse(body, content_type=content_type, as_attachment=True, filename=filename)
    if gzip:
        response["Content-Encoding"] = "gzip"
    return response


def build_lock(path: Path):
    """The lock on building `path`'s variant, held by this request; None when another holds it."""
    lock = open(path.with_name(path.name.rsplit("-", 1)[0] + ".lock"), "a")  # noqa: SIM115
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return None
    return lock


def previous_file(path: Path) -> Path | None:
    """The newest complete file of the same variant under an older generation, if any."""
    older = [
        file
        for file in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*")
        if file != path and is_complete_file(file)
    ]
    try:
        return max(older, key=lambda file: file.stat().st_mtime) if older else None
    except OSError:  # removed while we looked: the new file is there
        return None


def etag_of(path: Path, gzip: bool) -> str:
    """A strong validator: the file's generation and variant, and its encoding."""
    _, digest, token = path.name.rsplit("-", 2)
    return f'"{digest}-{token[:16]}{"-gzip" if gzip else ""}"'


BUDGET_SECONDS = 60  # the window of DOWNLOAD_MB_PER_MINUTE


def budget_key(request) -> str:
    return ratelimit.hashed_key("download-bytes", client_bucket(client_address(request)))


def over_budget(request) -> bool:
    """Whether this client has been sent its DOWNLOAD_MB_PER_MINUTE this minute (a cache read;
    with the cache away nobody is turned away)."""
    try:
        return ratelimit.used(budget_key(request)) >= settings.DOWNLOAD_MB_PER_MINUTE * 1_000_000
    except Exception:
        logger.warning("downloads: the budget not checked, cache unavailable")
        return False


def spend(request, response) -> None:
    """Count the bytes of a file about to be sent against the client's budget."""
    size = int(response.get("Content-Length") or 0)
    if size and request.method != "HEAD":
        ratelimit.take(
            budget_key(request),
            limit=settings.DOWNLOAD_MB_PER_MINUTE * 1_000_000,
            seconds=BUDGET_SECONDS,
            amount=size,
        )


def too_many_downloads():
    """The cheap answer to a client past its budget: no query, no file."""
    response = HttpResponse(
        "Too many downloads from your address in the last minute. Please try again in a minute.\n"
        "Demasiadas descargas desde su dirección en el último minuto. Inténtelo de nuevo en un "
        "minuto.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(BUDGET_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def serve(
    request,
    *,
    name: str,
    variant: str,
    chunks: Callable[[], Iterable[bytes]],
    content_type: str,
    filename: str,
    kept: int | None = None,
):
    """The download `variant` of `name`'s content: from its file when built, else built now.

    `variant` tells apart files of the same content that differ (their format, their ?since=
    day); `chunks` makes the body when the file is not there. Variants with `kept` belong to a
    family of which only the newest `kept` files stay on disk.

    Each client may be sent DOWNLOAD_MB_PER_MINUTE of files a minute (a 304 costs nothing):
    a script looping on a file gets a 429 past it, and the workers stay free for pages.
    """
    if over_budget(request):
        return too_many_downloads()
    token, changed_at = version(name)
    gzip = accepts_gzip(request)
    digest = hashlib.sha256(variant.encode()).hexdigest()[:16]
    folder = directory() / "variants" / name if kept else directory()
    path = folder / f"{name}-{digest}-{token}"
    validators = {
        "ETag": etag_of(path, gzip),
        "Last-Modified": http_date(changed_at.timestamp()),
        "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}",
    }

    def labelled(response, headers=None):
        if isinstance(response, FileResponse):
            spend(request, response)
        for header, value in (validators | (headers or {})).items():
            if value is None:
                del response[header]
            else:
                response[header] = value
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    unchanged = get_conditional_response(
        request, etag=validators["ETag"], last_modified=int(changed_at.timestamp())
    )
    if unchanged is not None:
        return labelled(unchanged)
    response = sent_from_file(path, gzip=gzip, content_type=content_type, filename=filename)
    if response is not None:
        return labelled(response)
    if request.META.get("REQUEST_METHOD") == "HEAD":  # headers only: nothing to build for it
        response = streamed(iter(()), content_type=content_type, filename=filename)
        return labelled(response, {"Content-Encoding": "gzip" if gzip else None})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = build_lock(path)
    except OSError:
        logger.warning("downloads: %s cannot be written; streaming instead", folder)
        response = streamed(chunks(), content_type=content_type, filename=filename)
        return labelled(response, {"ETag": etag_of(path, False)})
    if lock is None:
        return labelled(
            *built_elsewhere(path, gzip=gzip, content_type=content_type, filename=filename)
        )
    lock.close()  # free: taken again when the body is first read (see built_when_read)
    response = streamed(
        built_when_read(path, chunks, gzip=gzip, kept=kept),
        content_type=content_type,
        filename=filename,
    )
    if gzip:
        response["Content-Encoding"] = "gzip"
    return labelled(response)


def built_within_wait(path: Path) -> bool:
    """Whether another request's build of `path` completes within BUILD_WAIT_SECONDS."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while not path.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def built_when_read(path: Path, chunks, *, gzip: bool, kept: int | None) -> Iterator[bytes]:
    """The body of a file not built yet. The build lock is taken when the body is first read and
    held until the file is complete: a response never read (a HEAD, a client gone) holds
    nothing. Whoever took the lock first builds; a request that found it free but lost the race
    sends the file the winner built, as soon as it is complete."""
    lock = build_lock(path)
    if lock is None:
        lock = None if built_within_wait(path) else build_lock(path)
    try:
        if path.exists():
            with (gzipped(path) if gzip else path).open("rb") as built:
                yield from iter(lambda: built.read(64 * 1024), b"")
            return
        yield from written_while_sent(chunks(), path, send_gzip=gzip, kept=kept)
    finally:
        if lock is not None:
            lock.close()


def built_elsewhere(path: Path, *, gzip: bool, content_type: str, filename: str):
    """While another request builds `path`: the previous generation's file (marked as such), or
    the new file once built if it comes within BUILD_WAIT_SECONDS, or a 503 to try again."""
    previous = previous_file(path)
    if previous is not None:
        response = sent_from_file(previous, gzip=gzip, content_type=content_type, filename=filename)
        if response is not None:  # its own ETag; no Last-Modified; asked again at the next use
            return response, {
                "ETag": etag_of(previous, gzip),
                "Last-Modified": None,
                "Cache-Control": "no-cache",
            }
    if built_within_wait(path):
        response = sent_from_file(path, gzip=gzip, content_type=content_type, filename=filename)
        if response is not None:
            return response, {}
    response = HttpResponse(
        "This file is being prepared. Please try again in a few seconds.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "10"
    return response, {"ETag": None, "Last-Modified": None, "Cache-Control": "no-store"}
