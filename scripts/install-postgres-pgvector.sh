#!/usr/bin/env bash
# Installs what the pgvector tests and benchmarks start on their own: PostgreSQL 15 (Debian bookworm) and the
# pgvector 0.8 extension, built from the source package of the next Debian release (bookworm has no pgvector
# package for PostgreSQL 15; nothing else of that release is installed). Run as root (or with sudo), once.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
EXTENSION_DIR=/usr/share/postgresql/15/extension

if [ ! -x "$PG_BIN/initdb" ] || [ ! -f /usr/include/postgresql/15/server/postgres.h ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-server-dev-15 dpkg-dev make gcc >/dev/null
fi

if [ -f "$EXTENSION_DIR/vector.control" ]; then
  echo "pgvector already installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
# the system's Debian mirror, trixie suite, source packages only, in a private apt state
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
echo "deb-src $mirror trixie main" > "$work/sources.list"
apt_private=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
apt-get "${apt_private[@]}" update -qq
(cd "$work" && apt-get "${apt_private[@]}" source pgvector >/dev/null 2>&1)
source_dir=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
# OPTFLAGS="": no -march=native, so the build runs on any x86-64 machine
make -s -C "$source_dir" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
make -s -C "$source_dir" PG_CONFIG="$PG_BIN/pg_config" install
echo "pgvector installed: $(grep default_version "$EXTENSION_DIR/vector.control")"
