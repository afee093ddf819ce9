# testdb.bash - the test's database on the backend the run asks for (sourced by test scripts).
#
#   FK_TEST_PG unset:        a SQLite file (the path given to fk_testdb)
#   FK_TEST_PG=SOCKET_DIR:   a new PostgreSQL database in the throwaway cluster there
#                            (scripts/pg-cluster.sh; CTest's pg.* tests set it)
#
#   fk_testdb PATH     sets and exports DB and FUKKYU_DB; fk_testdb_drop removes the
#                      PostgreSQL databases made (call it from the script's EXIT trap)
#   fk_backend         prints sqlite or postgresql
#   dbq SQL            runs one query on $DB, rows as a|b lines (sqlite3's list mode, psql -At)
#   dbdump             the whole database as SQL text
# dbq and dbdump are exported, so %check lines and bash -c see them.
FK_TESTDB_SRC=${FK_TESTDB_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FK_TESTDB_MADE=${FK_TESTDB_MADE:-}

fk_backend() {
	if [ -n "${FK_TEST_PG:-}" ]; then echo postgresql; else echo sqlite; fi
}

fk_testdb() {
	if [ -n "${FK_TEST_PG:-}" ]; then
		local name
		name="t_$(date +%s%N | tail -c 9)_$$_${RANDOM}"
		DB=$(bash "$FK_TESTDB_SRC/scripts/pg-cluster.sh" createdb "$FK_TEST_PG" "$name") || return 1
		FK_TESTDB_MADE+=" $name"
	else
		DB=$1
	fi
	export DB FUKKYU_DB="$DB" FK_TESTDB_MADE
}

fk_testdb_drop() {
	local n
	for n in $FK_TESTDB_MADE; do
		bash "$FK_TESTDB_SRC/scripts/pg-cluster.sh" dropdb "$FK_TEST_PG" "$n" > /dev/null 2>&1 || true
	done
	FK_TESTDB_MADE=
}

dbq() {
	if [ -n "${FK_TEST_PG:-}" ]; then
		psql "$DB" -X -Atq -v ON_ERROR_STOP=1 -c "$1"
	else
		sqlite3 "$DB" "$1"
	fi
}

dbdump() {
	if [ -n "${FK_TEST_PG:-}" ]; then
		pg_dump --no-owner "$DB"
	else
		sqlite3 "$DB" .dump
	fi
}
export -f dbq dbdump fk_backend
