#!/usr/bin/env bash
# CPU of one generation on PostgreSQL (deployment notes §22, "The generator
# on PostgreSQL"): motcua's, the whole cluster's and the generator's own
# backend's, for a new database seeded first so that only the generation
# is measured.
#
#   eval "$(.ci/postgres start /tmp/pg-x)"
#   bench/generator-cpu.sh BINARY DBNAME DOSSIERS LABEL
#
# The cluster's CPU is the postmaster's ended children (cutime + cstime)
# plus its live ones; the backend's is sampled from /proc every 0.5 s (the
# last half second is missed, alike for every run).
set -euo pipefail
bin=$1 db=$2 n=$3 label=$4
port=${MOTCUA_TEST_POSTGRES_PORT:?start a server with .ci/postgres}
dir=${MOTCUA_TEST_POSTGRES_DIR:?start a server with .ci/postgres}
pgcpu() {
  local pm t c
  pm=$(head -1 "$dir/data/postmaster.pid")
  t=$(awk '{print $14+$15+$16+$17}' /proc/$pm/stat)
  for c in $(pgrep -P $pm); do t=$((t + $(awk '{print $14+$15}' /proc/$c/stat 2>/dev/null || echo 0))); done
  echo $t
}
psql -h 127.0.0.1 -p $port -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
data=$(mktemp -d)
url="postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
$bin demo --data $data --db "$url" --no-serve --no-scans --year 2025 --dossiers 1 >$data/seed.log 2>&1
(
  declare -A cpu
  while true; do
    for pid in $(pgrep -f "postgres: postgres $db "); do v=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null) && cpu[$pid]=$v; done
    t=0; for k in "${!cpu[@]}"; do t=$((t + cpu[$k])); done; echo $t >$data/backend
    sleep 0.5
  done
) & poll=$!
a=$(pgcpu); s=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o $data/time $bin demo --data $data --db "$url" --dossiers $n --year 2025 --no-serve --no-scans >$data/out.log 2>&1
e=$(date +%s.%N); b=$(pgcpu)
kill $poll
read -r u sy <$data/time
echo "$label n=$n wall=$(echo "$e - $s" | bc) motcua_cpu=$(echo "$u + $sy" | bc) cluster_cpu=$(echo "($b - $a)/100" | bc -l | cut -c1-6) backend_cpu=$(echo "$(cat $data/backend)/100" | bc -l | cut -c1-6) $(grep -o 'Generated [0-9]* dossiers with [0-9]* events' $data/out.log)"
rm -rf $data
