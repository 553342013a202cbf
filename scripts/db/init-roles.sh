#!/usr/bin/env bash
# Creates the owner and application roles of scripts/db/roles.sql in one database and sets their passwords.
# Used by docker-compose (mounted into /docker-entrypoint-initdb.d, runs once on a fresh volume) and by operators:
#   PGHOST=db.example PGUSER=postgres PGDATABASE=guanjia \
#   GUANJIA_OWNER_PASSWORD=… GUANJIA_APP_PASSWORD=… bash scripts/db/init-roles.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
db="${PGDATABASE:-${POSTGRES_DB:-guanjia}}"
user="${PGUSER:-${POSTGRES_USER:-postgres}}"
: "${GUANJIA_OWNER_PASSWORD:?set GUANJIA_OWNER_PASSWORD}"
: "${GUANJIA_APP_PASSWORD:?set GUANJIA_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$db" -f "${GUANJIA_ROLES_SQL:-$here/roles.sql}"
psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$db" \
  -v owner_pw="$GUANJIA_OWNER_PASSWORD" -v app_pw="$GUANJIA_APP_PASSWORD" <<'SQL'
ALTER ROLE guanjia_owner PASSWORD :'owner_pw';
ALTER ROLE guanjia_app PASSWORD :'app_pw';
SQL
echo "roles guanjia_owner (migrations) and guanjia_app (server) ready in database $db"
