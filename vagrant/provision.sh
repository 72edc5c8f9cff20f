#!/usr/bin/env bash
# Provisions the Mysos VM (Debian 12): ZooKeeper, a Mesos master and agent, MariaDB binaries,
# Java 17, Maven, and Mysos (`mysos scheduler`) as the systemd service mysos.service on port
# 55001. Run as root (Vagrant does); safe to run again.
#
# MESOS IS NOT INSTALLED BY THIS SCRIPT. Debian has no Mesos package, and this script neither
# downloads nor builds Mesos. The operator supplies one of:
#   MESOS_DEB=/path/to/mesos_1.x_amd64.deb   a Debian package of Mesos 1.x, installed with apt-get
#   MESOS_PREFIX=/opt/mesos                  a `make install` prefix of Mesos 1.x built from the
#                                            Apache Mesos source (sbin/mesos-master, sbin/mesos-agent, lib/)
# Without either (and no mesos-master already installed) the script stops with a message.
set -euo pipefail

MYSOS_DIR=/mysos
MYSOS_USER=mysos
MYSOS_HOME=/var/lib/mysos
KEY_DIR=/etc/mysos
KEY_FILE="$KEY_DIR/scheduler.key"
MESOS_DEB="${MESOS_DEB:-}"
MESOS_PREFIX="${MESOS_PREFIX:-}"

say() { echo "provision: $*"; }
die() { echo "provision: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (vagrant provisions as root)"
[ -f "$MYSOS_DIR/pom.xml" ] || die "no Mysos checkout at $MYSOS_DIR (the Vagrantfile syncs it there)"

# --- packages -------------------------------------------------------------------------------
say "installing Java 17, Maven, MariaDB, ZooKeeper and Mesos' runtime libraries (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq openjdk-17-jdk maven mariadb-server mariadb-client zookeeperd \
    curl python3 libcurl4 libsvn1 libapr1 libsasl2-modules libevent-2.1-7 libzookeeper-mt2

# Mysos starts its own mysqld instances on their own ports; the system MariaDB is not used.
say "stopping and disabling the system mariadb service (Mysos runs its own instances)"
systemctl disable --now mariadb.service >/dev/null 2>&1 || true

say "enabling ZooKeeper on 127.0.0.1:2181"
systemctl enable --now zookeeper.service

# --- Mesos (supplied by the operator) -------------------------------------------------------
say "Mesos: Debian has no Mesos package; using the one you supply (MESOS_DEB or MESOS_PREFIX)"
if [ -n "$MESOS_DEB" ]; then
    [ -f "$MESOS_DEB" ] || die "MESOS_DEB=$MESOS_DEB: no such file (put it under the checkout, e.g. $MYSOS_DIR/vagrant/, so it is synced into the VM)"
    say "installing Mesos from $MESOS_DEB"
    apt-get install -y -qq "$MESOS_DEB"
fi

MESOS_SBIN=""
MESOS_LIB=""
if [ -n "$MESOS_PREFIX" ]; then
    if [ ! -x "$MESOS_PREFIX/sbin/mesos-master" ] || [ ! -x "$MESOS_PREFIX/sbin/mesos-agent" ]; then
        die "MESOS_PREFIX=$MESOS_PREFIX has no sbin/mesos-master and sbin/mesos-agent (a 'make install' prefix of Mesos 1.x)"
    fi
    MESOS_SBIN="$MESOS_PREFIX/sbin"
    MESOS_LIB="$MESOS_PREFIX/lib"
else
    for dir in /usr/sbin /usr/local/sbin /opt/mesos/sbin; do
        if [ -x "$dir/mesos-master" ] && [ -x "$dir/mesos-agent" ]; then
            MESOS_SBIN="$dir"
            MESOS_LIB="$(dirname "$dir")/lib"
            break
        fi
    done
fi
if [ -z "$MESOS_SBIN" ]; then
    die "Mesos is missing. Debian has no Mesos package and this script does not download or
build it. Supply Mesos 1.x (e.g. built from the Apache Mesos source) and provision again:
  MESOS_DEB=/mysos/vagrant/mesos_1.x_amd64.deb vagrant provision    (a .deb inside the synced checkout)
  MESOS_PREFIX=/opt/mesos vagrant provision                          (a 'make install' prefix inside the VM)"
fi
say "Mesos binaries: $MESOS_SBIN (libraries: $MESOS_LIB)"

# --- Mysos user, build and key --------------------------------------------------------------
if ! id "$MYSOS_USER" >/dev/null 2>&1; then
    say "creating the user $MYSOS_USER (runs the scheduler; the agent runs the executors as it)"
    useradd --system --home-dir "$MYSOS_HOME" --create-home --shell /usr/sbin/nologin "$MYSOS_USER"
fi
install -d -o "$MYSOS_USER" -g "$MYSOS_USER" -m 0750 "$MYSOS_HOME"

say "building Mysos in $MYSOS_DIR (mvn package, without tests; the first build downloads dependencies)"
(cd "$MYSOS_DIR" && mvn -B -q -Dstyle.color=never -DskipTests package)
MYSOS_JAR="$MYSOS_DIR/dist/target/mysos.jar"
if [ ! -f "$MYSOS_JAR" ] || [ ! -d "$MYSOS_DIR/dist/target/lib" ]; then
    die "the build did not produce $MYSOS_JAR and its lib/ directory"
fi
chmod -R a+rX "$MYSOS_DIR/dist/target"

# One key for the scheduler and the executors (one host): /etc/mysos/scheduler.key, owned by the
# framework user with mode 0600, which the executor demands (it refuses a key its group or others
# can read). The scheduler creates it in its own format at its first start (owner-only); it is
# checked below once the API answers. The agent hands its path to executors (MYSOS_KEY_FILE).
install -d -o "$MYSOS_USER" -g "$MYSOS_USER" -m 0700 "$KEY_DIR"
if [ -e "$KEY_FILE" ]; then
    chown "$MYSOS_USER:$MYSOS_USER" "$KEY_FILE"
    chmod 0600 "$KEY_FILE"
fi

# --- systemd units --------------------------------------------------------------------------
JAVA_BIN="$(readlink -f "$(command -v java)")"
JAVA_HOME_DIR="$(dirname "$(dirname "$JAVA_BIN")")"
EXEC_PATH="$JAVA_HOME_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

install -d -m 0755 /var/lib/mesos/master /var/lib/mesos/agent /var/log/mesos

say "writing mesos-master.service (ZooKeeper zk://127.0.0.1:2181/mesos, quorum 1)"
cat > /etc/systemd/system/mesos-master.service <<UNIT
[Unit]
Description=Mesos master (Mysos VM)
After=network-online.target zookeeper.service
Wants=network-online.target zookeeper.service

[Service]
Environment=LD_LIBRARY_PATH=$MESOS_LIB
ExecStart=$MESOS_SBIN/mesos-master --ip=127.0.0.1 --port=5050 --hostname=127.0.0.1 \\
  --zk=zk://127.0.0.1:2181/mesos --quorum=1 --cluster=mysos-vagrant \\
  --work_dir=/var/lib/mesos/master --log_dir=/var/log/mesos
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

# The executors' environment replaces what they would inherit: PATH (java, mariadbd) and the
# key's path. posix isolators and launcher: Debian 12 has cgroup v2 only, which Mesos 1.x before
# 1.11 does not know; the cgroups isolators can be used where the Mesos build supports them.
EXEC_ENV="{\"PATH\":\"$EXEC_PATH\",\"JAVA_HOME\":\"$JAVA_HOME_DIR\",\"MYSOS_KEY_FILE\":\"$KEY_FILE\",\"LANG\":\"C.UTF-8\"}"
say "writing mesos-agent.service (mesos containerizer, ports [31000-32000], MYSOS_KEY_FILE=$KEY_FILE)"
cat > /etc/systemd/system/mesos-agent.service <<UNIT
[Unit]
Description=Mesos agent (Mysos VM)
After=network-online.target zookeeper.service mesos-master.service
Wants=network-online.target zookeeper.service

[Service]
Environment=LD_LIBRARY_PATH=$MESOS_LIB
ExecStart=$MESOS_SBIN/mesos-agent --ip=127.0.0.1 --port=5051 --hostname=127.0.0.1 \\
  --master=zk://127.0.0.1:2181/mesos --work_dir=/var/lib/mesos/agent --log_dir=/var/log/mesos \\
  --containerizers=mesos --launcher=posix --isolation=posix/cpu,posix/mem \\
  --no-systemd_enable_support \\
  "--resources=cpus:2;mem:3072;disk:10240;ports:[31000-32000]" \\
  --executor_registration_timeout=5mins \\
  --executor_environment_variables='$EXEC_ENV'
Restart=on-failure
RestartSec=5
KillMode=process

[Install]
WantedBy=multi-user.target
UNIT

say "writing mysos.service (mysos scheduler, API on 0.0.0.0:55001)"
cat > /etc/systemd/system/mysos.service <<UNIT
[Unit]
Description=Mysos scheduler (Mysos VM)
After=network-online.target mesos-master.service
Wants=network-online.target mesos-master.service

[Service]
User=$MYSOS_USER
Group=$MYSOS_USER
WorkingDirectory=$MYSOS_HOME
ExecStart=$JAVA_BIN -jar $MYSOS_JAR scheduler --master 127.0.0.1:5050 \\
  --api-host 0.0.0.0 --api-port 55001 --data-dir $MYSOS_HOME/data --key-file $KEY_FILE \\
  --role mysos --user $MYSOS_USER \\
  --executor-command '$JAVA_BIN -jar $MYSOS_JAR executor --key-file $KEY_FILE'
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
say "starting mesos-master, mesos-agent and mysos"
systemctl enable mesos-master.service mesos-agent.service mysos.service
systemctl restart mesos-master.service
systemctl restart mesos-agent.service
systemctl restart mysos.service

say "waiting (up to 120 s) for the Mysos API on 127.0.0.1:55001"
for _ in $(seq 1 60); do
    if curl -fsS -o /dev/null http://127.0.0.1:55001/clusters 2>/dev/null; then
        [ -f "$KEY_FILE" ] || die "the scheduler runs but did not create its key $KEY_FILE"
        chmod 0600 "$KEY_FILE"
        say "scheduler key: $(stat -c '%n %U %a' "$KEY_FILE")"
        say "ready: Mysos API on http://127.0.0.1:55001, Mesos master on http://127.0.0.1:5050"
        say "test it with: vagrant ssh -c /mysos/vagrant/test.sh"
        exit 0
    fi
    sleep 2
done
die "the Mysos API did not answer on 127.0.0.1:55001 within 120 s: see 'journalctl -u mysos -u mesos-master -u mesos-agent'"
