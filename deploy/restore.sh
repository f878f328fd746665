#!/bin/sh
# Restore a dump made by backup.sh into a NEW, empty database, then check it.
#   usage: deploy/restore.sh /var/backups/r2p/r2p-2026-11-30T023000Z.dump postgresql://r2p_owner:...@host/r2p_restored
# The target database must exist and be empty (createdb -O r2p_owner r2p_restored); the live database
# is never overwritten. Switch DATABASE_URL to the restored one and restart r2p-web when it checks out.
set -eu
dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
url=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
url=$(printf '%s' "$url" | sed 's|^postgresql+psycopg2://|postgresql://|')
pg_restore --list "$dump" >/dev/null
tables=$(psql -X -At -d "$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: the target database already has $tables tables; restore into an empty database" >&2
  exit 1
fi
pg_restore --no-owner --exit-on-error --single-transaction -d "$url" "$dump"
echo "restore: $(psql -X -At -d "$url" -c 'SELECT count(*) FROM user_account') accounts, schema version $(psql -X -At -d "$url" -c 'SELECT version_num FROM alembic_version')"
