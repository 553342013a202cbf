#!/bin/bash
# Lets the streaming replica of `docker compose --profile scale` connect for replication (pg_basebackup, WAL stream)
# as the superuser with its password. Harmless without the profile: nobody connects for replication.
set -e
echo "host replication postgres all scram-sha-256" >> "$PGDATA/pg_hba.conf"
