"""Back the whole site up into one archive, and restore it into an empty site of either kind.

The archive is a gzip-compressed tar file:

    database/<app>.<model>.jsonl   one JSON object per row (Django's serialisation), per model
    media/<name>                   every file of the public media storage
    private/<name>                 every file of the private storage (the guide's PDF)
    manifest.json                  format, migrations, row counts, size and SHA-256 of each member

The rows are portable: foreign keys are stored as primary keys, which are kept, except those to
content types and permissions, which are stored by their natural keys (app label and model name,
codename), since `migrate` numbers those rows differently in every database. So a backup of a
SQLite site restores into PostgreSQL, and files from a local folder into S3 (and back).

A backup reads the database inside one read-only snapshot (the site keeps running and writing),
then the files. Nothing is held in memory as a whole: rows are read in chunks and written line by
line, files are copied through temporary files that spill to disk.

A restore checks the whole archive against its manifest before it changes anything, refuses a
target that holds data or files, writes all rows in one transaction and the files inside it, and
rolls both back if anything fails.
"""

import contextlib
import dataclasses
import datetime
import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

from contact.models import rows_made_by_migrate
from core.storage import storage_files
from feelmove.roles import AUTHOR_GROUP

FORMAT = "feelmove-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Rows that `migrate` creates in every database, with numbers of its own: stored and restored by
# their natural keys, and merged with what the target already has.
BY_NATURAL_KEY = ("contenttypes.contenttype", "auth.permission")
# Files up to this size are copied in memory, larger ones through a temporary file on disk.
SPOOL_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
ROWS_PER_QUERY = 1000
# Files read from or written to the storage at the same time.
TRANSFERS = 4


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator why."""


# What a storage or the file system raises when it cannot be reached or written.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class ArchiveDamaged(BackupError):
    pass


class TargetNotEmpty(BackupError):
    pass


@dataclasses.dataclass
class Summary:
    rows: dict[str, int] = dataclasses.field(default_factory=dict)
    files: dict[str, int] = dataclasses.field(default_factory=dict)
    bytes: int = 0


# -- what is backed up ----------------------------------------------------------------------------


def backed_up_models() -> list:
    """Every model with a table of its own, content types and permissions first."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]

    def order(model):
        label = model._meta.label_lower
        first = BY_NATURAL_KEY.index(label) if label in BY_NATURAL_KEY else len(BY_NATURAL_KEY)
        return first, label

    return sorted(models, key=order)


def file_storages() -> dict[str, Storage]:
    """The storages whose files go into the archive, by the folder they get there."""
    return {"media": default_storage, "private": storages["private"]}


def applied_migrations(connection) -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restored site keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class PortableSerializer(PythonSerializer):
    """Django's serialiser with natural keys for references to content types and permissions."""

    natural = (ContentType, Permission)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self.natural
        try:
            super().handle_fk_field(obj, field)
        finally:
            self.use_natural_foreign_keys = False

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self.natural
        try:
            super().handle_m2m_field(obj, field)
        finally:
            self.use_natural_foreign_keys = False


def _rows(model, using: str) -> Iterator:
    """The rows of `model` in primary-key order, in chunks, with what serialising them needs."""
    queryset = model._base_manager.using(using).order_by("pk")
    natural_fks = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.remote_field.model in PortableSerializer.natural
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    if model is Permission:
        queryset = queryset.select_related("content_type")
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            related = field.remote_field.model._base_manager.using(using)
            if field.remote_field.model is Permission:
                related = related.select_related("content_type")
            elif field.remote_field.model not in PortableSerializer.natural:
                related = related.only("pk")
            queryset = queryset.prefetch_related(Prefetch(field.name, queryset=related))
    return queryset.iterator(chunk_size=ROWS_PER_QUERY)


def _serialised_lines(model, using: str) -> Iterator[bytes]:
    serializer = PortableSerializer()
    natural_primary = model._meta.label_lower in BY_NATURAL_KEY
    for row in _rows(model, using):
        serializer.serialize(
            [row], use_natural_primary_keys=natural_primary, use_natural_foreign_keys=False
        )
        (data,) = serializer.objects
        yield json.dumps(data, cls=ExactJSONEncoder, ensure_ascii=False).encode() + b"\n"


@contextlib.contextmanager
def read_snapshot(connection):
    """All reads inside see the database at one moment, while the site goes on writing."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (tests): it is the snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # atomic() would begin an IMMEDIATE transaction (the settings' mode), holding the write
        # lock for the whole backup; a deferred one only reads, and in WAL mode it sees the
        # database as it was at its first read while writers carry on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=connection.alias):
        yield


# -- writing an archive ---------------------------------------------------------------------------


class _Spool:
    """Bytes collected with their size and SHA-256, in memory up to SPOOL_BYTES, then on disk."""

    def __init__(self):
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    def copy_from(self, handle) -> None:
        while chunk := handle.read(CHUNK_BYTES):
            self.write(chunk)

    def close(self) -> None:
        self.file.close()


class _ArchiveWriter:
    def __init__(self, tar: tarfile.TarFile):
        self.tar = tar
        self.members: dict[str, dict] = {}
        self.mtime = int(time.time())

    def add(self, name: str, spool: _Spool) -> None:
        info = tarfile.TarInfo(name)
        info.size = spool.size
        info.mtime = self.mtime
        info.mode = 0o644
        spool.file.seek(0)
        self.tar.addfile(info, spool.file)
        self.members[name] = {"size": spool.size, "sha256": spool.digest.hexdigest()}

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = self.mtime
        info.mode = 0o644
        self.tar.addfile(info, io.BytesIO(data))


def backup_site(output: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive to `output` (replaced only once the new one is complete)."""
    output = Path(output)
    connection = connections[using]
    summary = Summary()
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with (
            open(partial, "wb") as raw,
            gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
            ) as compressed,
            tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as tar,
        ):
            writer = _ArchiveWriter(tar)
            models = []
            with read_snapshot(connection):
                migrations = applied_migrations(connection)
                for model in backed_up_models():
                    label = model._meta.label_lower
                    member = f"database/{label}.jsonl"
                    spool = _Spool()
                    count = 0
                    try:
                        for line in _serialised_lines(model, using):
                            spool.write(line)
                            count += 1
                        writer.add(member, spool)
                    finally:
                        spool.close()
                    models.append({"label": label, "count": count, "member": member})
                    summary.rows[label] = count
            # The files after the rows: every file the rows name was there when they were read
            # (files are never changed in place, and ones removed since are reported missing).
            for folder, storage in file_storages().items():
                count = 0
                for name, spool in _in_order(
                    _fetch, ((storage, name) for name in _listed_files(storage))
                ):
                    if spool is None:
                        continue  # deleted while the backup ran
                    try:
                        writer.add(f"{folder}/{name}", spool)
                    finally:
                        spool.close()
                    count += 1
                    summary.bytes += spool.size
                summary.files[folder] = count
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "source": {
                    "database": connection.vendor,
                    "media_storage": getattr(settings, "MEDIA_STORAGE", "local"),
                },
                "migrations": migrations,
                "models": models,
                "files": summary.files,
                "members": writer.members,
            }
            writer.add_bytes(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _fetch(storage: Storage, name: str) -> tuple[str, "_Spool | None"]:
    spool = _Spool()
    try:
        with storage.open(name, "rb") as handle:
            spool.copy_from(handle)
    except FileNotFoundError:
        spool.close()
        return name, None
    except BaseException:
        spool.close()
        raise
    return name, spool


def _in_order(function, arguments: Iterable[tuple]) -> Iterator:
    """`function(*args)` for each item, TRANSFERS at a time in threads, results in order.

    Object storage answers each request after a round trip; a few at once make a backup or
    restore of thousands of files take seconds instead of minutes. At most TRANSFERS results
    wait at any time, so memory stays bounded.
    """
    with ThreadPoolExecutor(max_workers=TRANSFERS) as pool:
        pending = deque()
        try:
            for args in arguments:
                pending.append(pool.submit(function, *args))
                if len(pending) >= TRANSFERS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _listed_files(storage: Storage) -> Iterator[str]:
    try:
        yield from storage_files(storage)
    except FileNotFoundError:
        return  # a local folder that was never created holds no files


# -- reading and checking an archive --------------------------------------------------------------

_READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError)


@contextlib.contextmanager
def _open_archive(path: str | os.PathLike) -> Iterator[tarfile.TarFile]:
    if not Path(path).is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        tar = tarfile.open(path, mode="r:gz")
    except _READ_ERRORS as error:
        raise ArchiveDamaged(
            f"{path} is not a feelmove backup or it is damaged ({error}). Nothing was changed."
        ) from error
    with tar:
        yield tar


def _damaged(path, why: str) -> ArchiveDamaged:
    return ArchiveDamaged(f"The backup {path} is damaged: {why}. Nothing was changed.")


def read_manifest(tar: tarfile.TarFile, path) -> dict:
    try:
        handle = tar.extractfile(MANIFEST)
        manifest = json.loads(handle.read())
    except KeyError as error:
        raise _damaged(path, "it has no manifest (it may be cut short)") from error
    except _READ_ERRORS as error:
        raise _damaged(path, f"its manifest cannot be read ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "its manifest is not that of a feelmove backup")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"The backup {path} has format version {manifest.get('version')}; this release "
            f"reads version {VERSION}. Restore it with the release that made it."
        )
    return manifest


def verify_archive(path: str | os.PathLike) -> dict:
    """Check every member against the manifest (size and SHA-256); return the manifest."""
    with _open_archive(path) as tar:
        manifest = read_manifest(tar, path)
        expected = manifest.get("members") or {}
        seen = set()
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                wanted = expected.get(member.name)
                if wanted is None or not member.isfile():
                    raise _damaged(path, f"it holds {member.name!r}, which its manifest lacks")
                digest = hashlib.sha256()
                size = 0
                handle = tar.extractfile(member)
                while chunk := handle.read(CHUNK_BYTES):
                    digest.update(chunk)
                    size += len(chunk)
                if size != wanted["size"] or digest.hexdigest() != wanted["sha256"]:
                    raise _damaged(path, f"{member.name} does not match its checksum")
                seen.add(member.name)
        except _READ_ERRORS as error:
            raise _damaged(path, f"it cannot be read to its end ({error})") from error
        missing = sorted(set(expected) - seen)
        if missing:
            raise _damaged(path, f"{len(missing)} file(s) are missing, e.g. {missing[0]}")
    return manifest


# -- restoring ------------------------------------------------------------------------------------


def check_target(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a database or storage that is not empty, or a schema other than the backup's."""
    connection = connections[using]
    applied = applied_migrations(connection)
    if not applied:
        raise BackupError(
            "The database has no tables yet. Run `python manage.py migrate` first, then restore."
        )
    wanted = manifest["migrations"]
    if applied != wanted:
        newer = sorted(set(applied) - set(wanted))
        older = sorted(set(wanted) - set(applied))
        detail = "; ".join(
            part
            for part in (
                f"the backup lacks {', '.join(newer[:3])}" if newer else "",
                f"this site lacks {', '.join(older[:3])}" if older else "",
            )
            if part
        )
        raise BackupError(
            "The backup was made by another release of feelmove than this one "
            f"({detail}). Restore it with the release that made it, then upgrade."
        )
    filled = []
    for model in backed_up_models():
        label = model._meta.label_lower
        if label in BY_NATURAL_KEY:
            continue
        rows = model._base_manager.using(using)
        if model is Site:
            # `migrate` creates one default site; it is replaced by the backup's.
            rows = rows.exclude(pk=settings.SITE_ID, domain="example.com")
        if model is Group:
            # ... and the author's group (feelmove.roles), which the backup's replaces too.
            rows = rows.exclude(name=AUTHOR_GROUP)
        if model in rows_made_by_migrate():
            # ... and the contact form's first topics and texts (contact's data migration).
            made = rows_made_by_migrate()[model].using(using).values("pk")
            rows = rows.exclude(pk__in=made)
        if rows.exists():
            filled.append(f"{label} ({rows.count()})")
    if filled:
        raise TargetNotEmpty(
            "The database is not empty: "
            + ", ".join(filled[:5])
            + (" and more" if len(filled) > 5 else "")
            + ". Restore only into a freshly migrated, empty database; nothing was changed."
        )
    for folder, storage in file_storages().items():
        first = next(_listed_files(storage), None)
        if first is not None:
            raise TargetNotEmpty(
                f"The {'private' if folder == 'private' else 'public media'} storage is not "
                f"empty (it holds {first}). Restore only into empty storage; nothing was changed."
            )


def _lines(tar: tarfile.TarFile, member: str) -> Iterator[dict]:
    handle = io.TextIOWrapper(tar.extractfile(member), encoding="utf-8")
    for line in handle:
        if line.strip():
            yield json.loads(line)


def _deserialised(tar, member: str, using: str) -> Iterator:
    try:
        yield from serializers.deserialize("python", _lines(tar, member), using=using)
    except DeserializationError as error:
        raise BackupError(
            f"The rows in {member} do not fit this site's models ({error}). Nothing was changed."
        ) from error


def _merge_by_natural_key(tar, member: str, model, using: str) -> int:
    """Content types and permissions: add the backup's that `migrate` did not create here."""
    content_types = ContentType.objects.db_manager(using)
    if model is ContentType:
        known = set(content_types.values_list("app_label", "model"))
    else:
        known = {
            (codename, *content_type)
            for codename, *content_type in Permission._base_manager.using(using).values_list(
                "codename", "content_type__app_label", "content_type__model"
            )
        }
    count = 0
    for item in _lines(tar, member):
        count += 1
        fields = item["fields"]
        if model is ContentType:
            key = (fields["app_label"], fields["model"])
            if key not in known:
                content_types.create(app_label=key[0], model=key[1])
        else:
            key = (fields["codename"], *fields["content_type"])
            if key not in known:
                Permission._base_manager.using(using).create(
                    codename=fields["codename"],
                    name=fields["name"],
                    content_type=content_types.get_by_natural_key(*fields["content_type"]),
                )
        known.add(key)
    return count


def _insert_rows(model, objects: list, using: str) -> None:
    """Insert the rows as they are: raw, so no field's pre_save (auto_now) changes a value, and
    no signal sends mail or refreshes caches for each row."""
    if not objects:
        return
    fields = [field for field in model._meta.local_concrete_fields]
    connection = connections[using]
    batch = max(1, connection.ops.bulk_batch_size(fields, objects))
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), batch):
        manager._insert(objects[start : start + batch], fields=fields, raw=True, using=using)


def _insert_links(model, links: dict[str, list[tuple]], using: str) -> None:
    for field_name, pairs in links.items():
        if not pairs:
            continue
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        through._base_manager.using(using).bulk_create(
            [through(**{source: left, target: right}) for left, right in pairs],
            batch_size=ROWS_PER_QUERY,
        )


def _restore_rows(tar, manifest: dict, using: str) -> dict[str, int]:
    counts = {}
    by_label = {model._meta.label_lower: model for model in backed_up_models()}
    listed = {entry["label"] for entry in manifest["models"]}
    unknown = sorted(listed - set(by_label))
    if unknown:
        raise BackupError(f"The backup holds tables this site lacks: {', '.join(unknown)}.")
    Site._base_manager.using(using).all().delete()
    Group._base_manager.using(using).filter(name=AUTHOR_GROUP).delete()
    for rows in rows_made_by_migrate().values():
        rows.using(using).delete()
    for entry in manifest["models"]:
        model = by_label[entry["label"]]
        if entry["label"] in BY_NATURAL_KEY:
            counts[entry["label"]] = _merge_by_natural_key(tar, entry["member"], model, using)
            continue
        count = 0
        objects, links = (
            [],
            {
                field.name: []
                for field in model._meta.many_to_many
                if field.remote_field.through._meta.auto_created
            },
        )
        for deserialised in _deserialised(tar, entry["member"], using):
            objects.append(deserialised.object)
            for field_name, values in (deserialised.m2m_data or {}).items():
                links[field_name].extend((deserialised.object.pk, value) for value in values)
            count += 1
            if len(objects) >= ROWS_PER_QUERY:
                _insert_rows(model, objects, using)
                objects = []
        _insert_rows(model, objects, using)
        _insert_links(model, links, using)
        counts[entry["label"]] = count
    return counts


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    models = []
    for model in backed_up_models():
        models.append(model)
        models.extend(
            field.remote_field.through
            for field in model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        )
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _store(storage: Storage, folder: str, name: str, spool: "_Spool", written: list) -> None:
    try:
        spool.file.seek(0)
        content = File(spool.file, name=name)
        content.size = spool.size
        stored = storage.save(name, content)
    finally:
        spool.close()
    written.append((storage, stored))  # at once: a failure elsewhere removes it again
    if stored != name:
        raise BackupError(f"{folder}/{name} could not be stored under its own name ({stored}).")


def _restore_files(tar, written: list) -> dict[str, int]:
    targets = file_storages()
    counts = dict.fromkeys(targets, 0)

    def copies():
        for member in tar:
            folder, _, name = member.name.partition("/")
            if folder not in targets or not member.isfile():
                continue
            # Through a temporary copy: an upload may seek in its source, and seeking back in
            # a compressed archive means decompressing it again from the start.
            spool = _Spool()
            spool.copy_from(tar.extractfile(member))
            counts[folder] += 1
            yield targets[folder], folder, name, spool, written

    # Leaving _in_order waits for the transfers under way, so `written` is complete when a
    # failure reaches restore_site.
    for _nothing in _in_order(_store, copies()):
        pass
    return counts


def restore_site(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Restore the archive at `path` into this (empty) site; see the module's docstring."""
    manifest = verify_archive(path)
    check_target(manifest, using=using)
    connection = connections[using]
    summary = Summary()
    written: list[tuple[Storage, str]] = []
    try:
        with _open_archive(path) as tar, transaction.atomic(using=using):
            with connection.constraint_checks_disabled():
                summary.rows = _restore_rows(tar, manifest, using)
            try:
                connection.check_constraints()
            except Exception as error:
                raise BackupError(
                    f"The restored rows do not fit together ({error}). Nothing was changed."
                ) from error
            _reset_sequences(using)
            expected = {entry["label"]: entry["count"] for entry in manifest["models"]}
            for label, count in summary.rows.items():
                if count != expected[label]:
                    raise _damaged(
                        path, f"{label} has {count} rows, the manifest says {expected[label]}"
                    )
            summary.files = _restore_files(tar, written)
            if summary.files != manifest["files"]:
                raise _damaged(path, "its files do not match the manifest's counts")
            summary.bytes = sum(
                info["size"]
                for name, info in manifest["members"].items()
                if not name.startswith("database/")
            )
    except BaseException as error:
        leftovers = []
        for storage, name in written:
            try:
                storage.delete(name)
            except Exception:
                leftovers.append(name)
        if leftovers:
            raise BackupError(
                f"The restore failed ({error}). The rows were rolled back, but "
                f"{len(leftovers)} file(s) it wrote could not be removed, e.g. {leftovers[0]}: "
                "empty the storage before you try again."
            ) from error
        raise
    Site.objects.clear_cache()
    _pages_changed()
    return summary


def _pages_changed() -> None:
    from core.invalidation import invalidate_pages

    invalidate_pages(schedule=True)


def describe(summary: Summary) -> Iterable[str]:
    rows = sum(summary.rows.values())
    yield f"{rows} rows in {len(summary.rows)} tables"
    for folder, count in summary.files.items():
        yield f"{count} {folder} file(s)"
    yield f"{summary.bytes / 1024 / 1024:.1f} MB of files"
