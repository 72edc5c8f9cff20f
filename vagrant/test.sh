#!/usr/bin/env bash
# End-to-end check of the Mysos VM (run inside it: vagrant ssh -c /mysos/vagrant/test.sh):
# creates a 2-node cluster through the API, writes a row through the master, reads it on a
# replica, deletes the cluster and waits until the API and the Mesos master no longer know its
# tasks. Needs curl, python3 and the mariadb client (provision.sh installs them).
# MYSOS_API (default http://127.0.0.1:55001), MESOS_MASTER (default http://127.0.0.1:5050).
set -euo pipefail

API="${MYSOS_API:-http://127.0.0.1:55001}"
MESOS="${MESOS_MASTER:-http://127.0.0.1:5050}"
CLUSTER=vagranttest
USER_NAME=vagrant_app
PASSWORD=vagrant-secret-1
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

say() { echo "test.sh: $*"; }
die() { echo "test.sh: FAILED: $*" >&2; exit 1; }

# json FILE EXPR: prints EXPR evaluated by python3 on the JSON document in FILE (as `d`).
json() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# get_cluster: writes the cluster's JSON to $TMP/cluster.json, prints the HTTP status.
get_cluster() { curl -sS -o "$TMP/cluster.json" -w '%{http_code}' "$API/clusters/$CLUSTER" || echo 000; }

sql() { # sql HOST PORT STATEMENT...
    local host="$1" port="$2"; shift 2
    MYSQL_PWD="$PASSWORD" mariadb --protocol=tcp -h "$host" -P "$port" -u "$USER_NAME" \
        --connect-timeout=10 -N -B -e "$*"
}

command -v mariadb >/dev/null || die "the mariadb client is missing (apt-get install mariadb-client)"
command -v python3 >/dev/null || die "python3 is missing"

say "Mysos API: $API, Mesos master: $MESOS"
curl -fsS -o /dev/null "$API/clusters" || die "the Mysos API does not answer at $API/clusters (systemctl status mysos)"

# --- create ---------------------------------------------------------------------------------
status="$(get_cluster)"
[ "$status" = 404 ] || die "cluster $CLUSTER already exists (HTTP $status): delete it first, password $PASSWORD"
say "creating the 2-node cluster $CLUSTER"
status="$(curl -sS -o "$TMP/create.json" -w '%{http_code}' -X POST "$API/clusters/$CLUSTER" \
    -d "cluster_user=$USER_NAME" -d num_nodes=2 --data-urlencode "cluster_password=$PASSWORD")"
[ "$status" = 200 ] || [ "$status" = 201 ] || [ "$status" = 202 ] \
    || die "create answered HTTP $status: $(cat "$TMP/create.json")"

say "waiting (up to 10 min) for $CLUSTER to be RUNNING"
state=""
for i in $(seq 1 120); do
    if [ "$(get_cluster)" = 200 ]; then
        state="$(json "$TMP/cluster.json" 'd.get("state")')"
        [ "$state" = RUNNING ] && break
        if [ $((i % 6)) = 0 ]; then
            say "  still $state: $(json "$TMP/cluster.json" 'd.get("reason", "")')"
        fi
    fi
    sleep 5
done
[ "$state" = RUNNING ] || die "$CLUSTER is not RUNNING after 10 min (last state: ${state:-none}): $(cat "$TMP/cluster.json")"

master_host="$(json "$TMP/cluster.json" 'd["master"]["host"]')"
master_port="$(json "$TMP/cluster.json" 'd["master"]["port"]')"
replica_host="$(json "$TMP/cluster.json" '[r for r in d["replicas"] if r["state"] == "RUNNING"][0]["host"]')"
replica_port="$(json "$TMP/cluster.json" '[r for r in d["replicas"] if r["state"] == "RUNNING"][0]["port"]')"
say "master $master_host:$master_port, replica $replica_host:$replica_port"

# --- write on the master, read on the replica ----------------------------------------------
row="vagrant-$(date +%s)"
say "writing the row '$row' through the master"
sql "$master_host" "$master_port" \
    "CREATE DATABASE IF NOT EXISTS vagranttest; CREATE TABLE IF NOT EXISTS vagranttest.t (v VARCHAR(64) PRIMARY KEY); INSERT INTO vagranttest.t VALUES ('$row');" \
    || die "the master $master_host:$master_port did not take the write"

say "waiting (up to 60 s) for the row on the replica $replica_host:$replica_port"
found=""
for _ in $(seq 1 30); do
    found="$(sql "$replica_host" "$replica_port" "SELECT v FROM vagranttest.t WHERE v = '$row'" 2>/dev/null || true)"
    [ "$found" = "$row" ] && break
    sleep 2
done
[ "$found" = "$row" ] || die "the replica $replica_host:$replica_port does not have the row '$row' after 60 s"
say "the replica has the row"

# --- delete ---------------------------------------------------------------------------------
say "deleting $CLUSTER"
status="$(curl -sS -o "$TMP/delete.json" -w '%{http_code}' -X DELETE "$API/clusters/$CLUSTER" \
    --data-urlencode "password=$PASSWORD")"
[ "$status" = 200 ] || [ "$status" = 202 ] \
    || die "delete answered HTTP $status: $(cat "$TMP/delete.json")"

say "waiting (up to 5 min) for GET /clusters/$CLUSTER to answer 404"
status=""
for _ in $(seq 1 60); do
    status="$(get_cluster)"
    [ "$status" = 404 ] && break
    sleep 5
done
[ "$status" = 404 ] || die "GET /clusters/$CLUSTER still answers HTTP $status after 5 min"

say "waiting (up to 5 min) until the Mesos master has no live task of $CLUSTER"
live=""
for _ in $(seq 1 60); do
    if curl -fsS -o "$TMP/state.json" "$MESOS/master/state"; then
        live="$(json "$TMP/state.json" '" ".join(t["id"] for f in d.get("frameworks", []) for t in f.get("tasks", []) if t["id"].startswith("mysos-'"$CLUSTER"'-") and t["state"] not in ("TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR"))')"
        [ -z "$live" ] && break
    else
        live="(the Mesos master's /master/state did not answer)"
    fi
    sleep 5
done
[ -z "$live" ] || die "tasks of $CLUSTER still live in Mesos after 5 min: $live"

say "OK: created $CLUSTER, wrote on the master, read on a replica, deleted it, no task left"
