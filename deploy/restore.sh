#!/bin/sh
# Restore a dump made by backup.sh into a NEW, empty database, then check it.
#   usage: deploy/restore.sh /var/backups/r2p/r2p-2026-11-30T023000Z.dump postgresql://r2p_owner:...@host/r2p_restored [DOCUMENTS_FOLDER]
# With DOCUMENTS_FOLDER (new or empty), the documents archived beside the dump are unpacked there;
# point DOCUMENT_STORAGE_PATH at it with DATABASE_URL.
# The target database must exist and be empty (createdb -O r2p_owner r2p_restored); the live database
# is never overwritten. Switch DATABASE_URL to the restored one and restart r2p-web when it checks out.
set -eu
dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
url=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
url=$(printf '%s' "$url" | sed 's|^postgresql+psycopg2://|postgresql://|')
folder=${3:-}
archive="${dump%.dump}.documents.tar"
pg_restore --list "$dump" >/dev/null
if [ -n "$folder" ]; then
  [ -f "$archive" ] || { echo "restore: no documents archive $archive beside the dump" >&2; exit 1; }
  if [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "restore: $folder is not empty; restore the documents into a new folder" >&2
    exit 1
  fi
fi
tables=$(psql -X -At -d "$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: the target database already has $tables tables; restore into an empty database" >&2
  exit 1
fi
pg_restore --no-owner --exit-on-error --single-transaction -d "$url" "$dump"
if [ -n "$folder" ]; then
  mkdir -p "$folder"
  tar -C "$folder" -xf "$archive"
  echo "restore: $(find "$folder" -type f | wc -l | tr -d ' ') documents in $folder"
fi
echo "restore: $(psql -X -At -d "$url" -c 'SELECT count(*) FROM user_account') accounts, schema version $(psql -X -At -d "$url" -c 'SELECT version_num FROM alembic_version')"
