#!/bin/sh
# Dump the database in PostgreSQL's custom format and delete dumps older than the retention.
#   BACKUP_DATABASE_URL  the database to dump (default: DATABASE_URL); the owner role reads everything
#   BACKUP_DIR           where dumps go (default /var/backups/r2p)
#   BACKUP_KEEP_DAYS     days of dumps to keep (default 14)
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
find "$dir" -maxdepth 1 -name 'r2p-*.dump' -type f -mtime +"$keep" -delete
find "$dir" -maxdepth 1 -name 'r2p-*.dump.part' -type f -mmin +60 -delete
echo "backup: wrote $target ($(wc -c <"$target") bytes); dumps older than $keep days deleted"
