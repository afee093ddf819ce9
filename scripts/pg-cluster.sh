#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl as a non-root
# user, listening only on a Unix socket in the cluster's own folder (no TCP port).
#   pg-cluster.sh start DIR   creates DIR (must not exist), starts the cluster, prints the
#                             socket folder; superuser "fukkyu", trust authentication
#   pg-cluster.sh stop DIR    stops it and removes DIR
#   pg-cluster.sh createdb DIR NAME   a database as fukkyu needs it (C collation, UTF-8);
#                             prints its URL
#   pg-cluster.sh dropdb DIR NAME
# As root, the cluster runs as the system user fukkyu-pg (created when missing): PostgreSQL
# refuses to run as root.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|createdb|dropdb DIR [NAME]}
dir=${2:?usage: pg-cluster.sh start|stop|createdb|dropdb DIR [NAME]}
bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u fukkyu-pg -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	[ ! -e "$dir" ] || { echo "pg-cluster: $dir already exists" >&2; exit 1; }
	mkdir -p "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		id fukkyu-pg > /dev/null 2>&1 ||
			useradd --system --no-create-home --shell /usr/sbin/nologin fukkyu-pg
		chown fukkyu-pg "$dir"
		chmod 755 "$dir"
	fi
	# cd: the owner may not be able to enter the caller's working folder
	(cd "$dir" && as_owner "$bin/initdb" -D "$dir/data" -U fukkyu --auth=trust --locale=C \
		--encoding=UTF8 --no-sync > "$dir/initdb.log" 2>&1) ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# Test settings: no fsync (the tests kill fukkyu, not the machine), enough connections
	# for parallel tests each with a server.
	(cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir -c listen_addresses= -c fsync=off -c full_page_writes=off -c max_connections=300" \
		start > /dev/null) || { cat "$dir/server.log" >&2; exit 1; }
	echo "$dir"
	;;
stop)
	[ -d "$dir/data" ] && (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1 || true)
	rm -rf "$dir"
	;;
createdb)
	name=${3:?usage: pg-cluster.sh createdb DIR NAME}
	"$bin/createdb" -h "$dir" -U fukkyu -T template0 --locale=C -E UTF8 "$name"
	echo "postgresql:///$name?host=$dir&user=fukkyu"
	;;
dropdb)
	name=${3:?usage: pg-cluster.sh dropdb DIR NAME}
	"$bin/dropdb" -h "$dir" -U fukkyu --if-exists --force "$name"
	;;
*)
	echo "pg-cluster: unknown command '$cmd'" >&2
	exit 2
	;;
esac
