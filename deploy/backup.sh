#!/bin/sh
# Dump the database in PostgreSQL's custom format and delete dumps older than the retention.
#   BACKUP_DATABASE_URL  the database to dump (default: DATABASE_URL); the owner role reads everything
#   BACKUP_DIR           where dumps go (default /var/backups/r2p)
#   BACKUP_KEEP_DAYS     days of dumps to keep (default 14)
#   DOCUMENT_STORAGE_PATH  the uploaded documents' folder: archived beside the dump when set
set -eu
url=${BACKUP_DATABASE_URL:-${DATABASE_URL:?DATABASE_URL or BACKUP_DATABASE_URL must be set}}
url=$(printf '%s' "$url" | sed 's|^postgresql+psycopg2://|postgresql://|')
dir=${BACKUP_DIR:-/var/backups/r2p}
keep=${BACKUP_KEEP_DAYS:-14}
case $keep in ''|*[!0-9]*) echo "backup: BACKUP_KEEP_DAYS must be a number of days, not '$keep'" >&2; exit 2;; esac
mkdir -p "$dir"
umask 077
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
target="$dir/r2p-$stamp.dump"
pg_dump --format=custom --no-owner --file="$target.part" "$url"
# A dump pg_restore cannot list is no backup: check it before it counts.
pg_restore --list "$target.part" >/dev/null
mv "$target.part" "$target"
documents=""
if [ -n "${DOCUMENT_STORAGE_PATH:-}" ]; then
  # The database names the files; a backup without them would restore documents that cannot be opened.
  [ -d "$DOCUMENT_STORAGE_PATH" ] || { echo "backup: DOCUMENT_STORAGE_PATH $DOCUMENT_STORAGE_PATH is not a folder" >&2; exit 1; }
  archive="$dir/r2p-$stamp.documents.tar"
  tar -C "$DOCUMENT_STORAGE_PATH" -cf "$archive.part" .
  tar -tf "$archive.part" >/dev/null
  mv "$archive.part" "$archive"
  documents=" and $archive ($(tar -tf "$archive" | grep -cv '/$') files)"
fi
find "$dir" -maxdepth 1 \( -name 'r2p-*.dump' -o -name 'r2p-*.documents.tar' \) -type f -mtime +"$keep" -delete
find "$dir" -maxdepth 1 -name 'r2p-*.part' -type f -mmin +60 -delete
echo "backup: wrote $target ($(wc -c <"$target") bytes)$documents; backups older than $keep days deleted"
