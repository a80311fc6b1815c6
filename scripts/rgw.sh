#!/usr/bin/env bash
# rgw.sh — start/stop a throwaway one-node Ceph cluster (1 mon, 1 memstore osd,
# 1 radosgw) entirely under a given directory, for S3 integration tests.
#
# Usage:
#   scripts/rgw.sh install              apt-install radosgw ceph-mon ceph-osd ceph-common if missing
#   scripts/rgw.sh start <dir> <port>   fresh cluster in <dir>; S3 on http://127.0.0.1:<port>
#   scripts/rgw.sh stop <dir>           kill the cluster of <dir> and empty <dir> (idempotent)
#   scripts/rgw.sh pause <dir>          stop only the gateway (an S3 outage; objects are kept)
#   scripts/rgw.sh resume <dir>         start the gateway again on its port
#   scripts/rgw.sh freeze <dir>         SIGSTOP the gateway: it accepts connections, never answers (a hang)
#   scripts/rgw.sh thaw <dir>           SIGCONT it
#
# `start` prints `RGW_ENDPOINT=http://127.0.0.1:<port>` as the last line of
# stdout (progress and errors go to stderr). Environment:
#   RGW_ACCESS_KEY, RGW_SECRET_KEY  keys of the S3 user "cloudnotes" (defaults below)
#   RGW_MON_PORT                    force the mon port (default: derived from <port>)
#   RGW_START_TIMEOUT               seconds to wait for the S3 endpoint (default 60)
#   RGW_MEMSTORE_BYTES              cap of the in-RAM store (default 1 GiB; the import benchmark needs more)
#
# Why it looks like this:
# - Tests run as root without systemd and may run two clusters at once, so
#   every path (data, logs, pid files, admin sockets, run dir) is pinned to
#   <dir> in <dir>/ceph.conf, and every command gets `-c <dir>/ceph.conf`
#   (CEPH_CONF is exported too). Nothing is written to /etc/ceph,
#   /var/lib/ceph or /var/log/ceph.
# - cephx is off, so no keyrings exist anywhere.
# - The OSD uses memstore: data lives in RAM (capped by `memstore device
#   bytes`) and is thrown away on stop.
# - No ceph-mgr: radosgw does not need one, and it costs time and memory.
# - Daemons run in the foreground (-f) as background jobs in their own session
#   (setsid), so we know their pids exactly and they outlive this script.
set -euo pipefail

readonly MARKER=".rgw-sh-cluster" # proves that we own the contents of <dir>
readonly DEFAULT_AK="cloudnotes-test-access"
readonly DEFAULT_SK="cloudnotes-test-secret-key-0123456789"
readonly NEEDED_BINS=(radosgw radosgw-admin ceph-mon ceph-osd ceph monmaptool curl)

log() { echo "rgw.sh: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

usage() {
	sed -n '4,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# --- install -----------------------------------------------------------------

cmd_install() {
	local b missing=()
	for b in "${NEEDED_BINS[@]}"; do
		command -v "$b" >/dev/null 2>&1 || missing+=("$b")
	done
	if ((${#missing[@]} == 0)); then
		log "ceph binaries already installed"
		return 0
	fi
	log "missing: ${missing[*]}; installing through apt"
	[[ $(id -u) -eq 0 ]] || die "installing packages needs root"
	local pkgs=(radosgw ceph-mon ceph-osd ceph-common)
	command -v curl >/dev/null 2>&1 || pkgs+=(curl) # start polls the endpoint with it
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}"
}

# --- helpers -----------------------------------------------------------------

# Absolute, normalised path (it need not exist), so any cwd works.
abspath() {
	local p=$1
	[[ $p == /* ]] || p="$PWD/$p"
	realpath -m -- "$p"
}

# True if something accepts connections on 127.0.0.1:$1. Uses bash's
# /dev/tcp so that no extra tool (ss, netstat) is needed.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The mon port is derived from the S3 port so that clusters started with
# different S3 ports (even adjacent ones such as 7480 and 7481) get different
# mon ports: port+10000 (port-10000 near the top of the range), or the next
# free one after it. RGW_MON_PORT overrides it.
mon_port_for() {
	local port=$1 p
	if [[ -n ${RGW_MON_PORT:-} ]]; then
		echo "$RGW_MON_PORT"
		return
	fi
	if ((port + 10000 <= 65535)); then p=$((port + 10000)); else p=$((port - 10000)); fi
	while port_in_use "$p"; do
		p=$((p + 1))
		((p <= 65535)) || die "no free port for the mon"
	done
	echo "$p"
}

# Is pid $1 a live process started with `-c $2` (our ceph.conf)? Guards
# against pid reuse: we never signal a process that isn't ours. Zombies have
# an empty cmdline, so they count as gone.
is_our_pid() {
	local pid=$1 conf=$2
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/cmdline ]] || return 1
	{ tr '\0' ' ' <"/proc/$pid/cmdline"; echo; } | grep -qF -- "-c $conf "
}

# Tail of every log under <dir>/log, to stderr (used on failure).
dump_logs() {
	local dir=$1 f
	for f in "$dir"/log/*; do
		[[ -s $f ]] || continue
		echo "----- tail -n 30 $f -----" >&2
		tail -n 30 "$f" >&2 || true
	done
}

# Kill every daemon (and stray ceph client) of the cluster in <dir> and wait
# until they are gone. Leaves the files alone.
kill_cluster() {
	local dir=$1 conf="$1/ceph.conf" name pid pids=() deadline
	# Pids we recorded at spawn time, plus anything else whose command line
	# names this ceph.conf (e.g. a start that was interrupted midway).
	for name in rgw osd mon; do
		[[ -f $dir/run/$name.pid ]] && pids+=("$(cat "$dir/run/$name.pid")")
	done
	mapfile -t -O "${#pids[@]}" pids < <(pgrep -f -- "-c $conf( |\$)" || true)

	local live=()
	for pid in "${pids[@]}"; do
		is_our_pid "$pid" "$conf" && live+=("$pid")
	done
	((${#live[@]})) || return 0

	for pid in "${live[@]}"; do
		if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == ceph-osd ]]; then
			# On SIGTERM a memstore OSD first dumps all its data to disk,
			# which is wasted work: the data is deleted right after.
			kill -KILL "$pid" 2>/dev/null || true
		else
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done
	deadline=$((SECONDS + 10))
	for pid in "${live[@]}"; do
		while is_our_pid "$pid" "$conf"; do
			if ((SECONDS >= deadline)); then
				log "pid $pid ignored SIGTERM for 10s; sending SIGKILL"
				kill -KILL "$pid" 2>/dev/null || true
			fi
			sleep 0.1
		done
	done
}

# --- stop --------------------------------------------------------------------

cmd_stop() {
	[[ $# -eq 1 ]] || usage
	local dir
	dir=$(abspath "$1")
	[[ $dir != / ]] || die "refusing to use / as the cluster dir"
	[[ -d $dir ]] || return 0 # nothing there: already stopped
	if [[ ! -e $dir/$MARKER ]]; then
		# An empty dir (e.g. after a previous stop) is fine; but never wipe a
		# directory that we did not create.
		[[ -z $(ls -A "$dir") ]] && return 0
		die "$dir is not an rgw.sh cluster dir (no $MARKER); not touching it"
	fi
	kill_cluster "$dir"
	# Empty the dir (dotfiles included) but keep the dir itself.
	find "$dir" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
}

# --- start -------------------------------------------------------------------

write_conf() {
	local fsid=$1 mon_port=$2 rgw_port=$3
	cat >"$CONF" <<EOF
# Generated by scripts/rgw.sh: a throwaway test cluster.
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
# msgr v2 only (one mon port per cluster); everything on loopback.
ms bind msgr1 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1

# No cephx: no keyrings to create or pass around.
auth cluster required = none
auth service required = none
auth client required = none
# radosgw's built-in defaults ask for an encrypted ("secure") mon connection,
# impossible without cephx: it would retry forever, logging
# "get_initial_auth_request returned -13".
ms mon client mode = crc

# Everything under this dir, so that several clusters can run side by side.
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.daemon.pid
log file = $DIR/log/\$name.log
log to stderr = false
err to stderr = false
mon cluster log file = $DIR/log/cluster.log
crash dir = $DIR/crash
keyring = $DIR/keyring
mon data = $DIR/mon/\$id
osd data = $DIR/osd/\$id
rgw data = $DIR/rgw

# One OSD: allow size-1 pools, and spread replicas over OSDs (type 0), not hosts.
mon allow pool size one = true
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
# radosgw creates ~7 pools; 32 PGs each would hit mon_max_pg_per_osd (250).
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool delete = true
# Every osdmap change (osd boot, each pool radosgw creates, ...) waits for the
# mon's paxos batching interval, 1 s by default: ~12 s on the first start.
paxos propose interval = 0.05
paxos min wait = 0.01
# The mon refuses to run when its disk is nearly full; irrelevant here.
mon data avail crit = 0
mon data avail warn = 0

[osd]
osd objectstore = memstore
# Cap of the in-RAM store; pages are allocated lazily, so RSS follows usage.
memstore device bytes = ${RGW_MEMSTORE_BYTES:-$((1024 * 1024 * 1024))}
osd op num shards = 2
osd op num threads per shard = 1

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw thread pool size = 64
# Level 1 logs one line per S3 request: handy when a test fails.
debug rgw = 1
EOF
}

# Start a daemon in its own session, detached from our stdio (so a caller
# capturing our stdout is not kept waiting), and record its pid.
spawn() {
	local name=$1
	shift
	setsid "$@" </dev/null >>"$DIR/log/$name.out" 2>&1 &
	echo $! >"$DIR/run/$name.pid"
}

# Fail fast if a daemon we spawned has died.
alive() {
	is_our_pid "$(cat "$DIR/run/$1.pid" 2>/dev/null)" "$CONF" || die "$1 exited during startup"
}

on_start_exit() {
	local rc=$?
	((rc != 0)) || return 0
	log "start failed (exit $rc); logs are kept in $DIR/log until '$0 stop $DIR'"
	dump_logs "$DIR"
	# Do not leave half a cluster running behind a failed start.
	kill_cluster "$DIR"
	exit "$rc"
}

cmd_start() {
	[[ $# -eq 2 ]] || usage
	if ! [[ $2 =~ ^[0-9]{1,5}$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then die "bad port: $2"; fi
	[[ $(id -u) -eq 0 ]] || die "must run as root"
	local port=$((10#$2)) b t0=$SECONDS
	for b in "${NEEDED_BINS[@]}"; do
		command -v "$b" >/dev/null 2>&1 || die "$b not found; run: $0 install"
	done

	DIR=$(abspath "$1")
	CONF="$DIR/ceph.conf"
	export CEPH_CONF="$CONF"

	cmd_stop "$DIR" # a leftover cluster in this dir would get in the way
	port_in_use "$port" && die "port $port is already in use"
	mkdir -p "$DIR"
	touch "$DIR/$MARKER"
	mkdir -p "$DIR"/{run,log,crash,mon,osd/0,rgw}
	trap on_start_exit EXIT

	local mon_port fsid osd_uuid
	mon_port=$(mon_port_for "$port")
	port_in_use "$mon_port" && die "mon port $mon_port is already in use"
	fsid=$(cat /proc/sys/kernel/random/uuid)
	osd_uuid=$(cat /proc/sys/kernel/random/uuid)
	write_conf "$fsid" "$mon_port" "$port"
	local setup_log="$DIR/log/setup.log"

	# --- mon: a hand-made monmap avoids the mon bootstrap keyring dance ---
	monmaptool --create --clobber --fsid "$fsid" \
		--addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >>"$setup_log" 2>&1
	ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >>"$setup_log" 2>&1
	spawn mon ceph-mon -c "$CONF" -f -i a
	local deadline=$((SECONDS + 20))
	until port_in_use "$mon_port"; do
		alive mon
		((SECONDS < deadline)) || die "mon not listening on 127.0.0.1:$mon_port"
		sleep 0.1
	done

	# --- osd: register it, mkfs its memstore, start it ---
	local osd_id
	osd_id=$(timeout 30 ceph -c "$CONF" --connect-timeout 20 osd new "$osd_uuid" 2>>"$setup_log") ||
		die "'ceph osd new' failed"
	[[ $osd_id == 0 ]] || die "unexpected osd id '$osd_id'"
	# memstore's mkfs can exit non-zero although it worked; what matters is
	# that it wrote the store (checked just below).
	ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$setup_log" 2>&1 ||
		log "note: ceph-osd --mkfs exited $? (known with memstore; checking its result)"
	[[ -s $DIR/osd/0/fsid ]] || die "ceph-osd --mkfs did not initialise $DIR/osd/0"
	spawn osd ceph-osd -c "$CONF" -f -i 0

	# --- rgw: it creates its pools itself once the osd is up ---
	spawn rgw radosgw -c "$CONF" -f -n client.rgw
	local timeout=${RGW_START_TIMEOUT:-60}
	deadline=$((SECONDS + timeout))
	until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null; do
		alive mon
		alive osd
		alive rgw
		((SECONDS < deadline)) || die "S3 endpoint http://127.0.0.1:$port/ not up after ${timeout}s"
		sleep 0.2
	done

	# --- the S3 user the tests sign requests with ---
	radosgw-admin -c "$CONF" -n client.admin user create \
		--uid=cloudnotes --display-name=CloudNotes \
		--access-key="${RGW_ACCESS_KEY:-$DEFAULT_AK}" \
		--secret-key="${RGW_SECRET_KEY:-$DEFAULT_SK}" >>"$setup_log" 2>&1 ||
		die "radosgw-admin user create failed"

	echo "$port" >"$DIR/run/rgw.port"
	trap - EXIT
	log "up in $((SECONDS - t0))s: dir $DIR, mon 127.0.0.1:$mon_port, S3 127.0.0.1:$port"
	echo "RGW_ENDPOINT=http://127.0.0.1:$port"
}

# Stop only the gateway (the cluster and its objects stay): an S3 outage for
# fault tests. `resume` starts it again on the same port.
cmd_pause() {
	[[ $# -eq 1 ]] || usage
	DIR=$(abspath "$1")
	CONF="$DIR/ceph.conf"
	local pid
	pid=$(cat "$DIR/run/rgw.pid" 2>/dev/null) || die "no gateway in $DIR"
	if is_our_pid "$pid" "$CONF"; then
		kill -TERM "$pid" 2>/dev/null || true
		local deadline=$((SECONDS + 10))
		while is_our_pid "$pid" "$CONF" && ((SECONDS < deadline)); do sleep 0.1; done
		is_our_pid "$pid" "$CONF" && kill -KILL "$pid" 2>/dev/null || true
	fi
	return 0
}

cmd_resume() {
	[[ $# -eq 1 ]] || usage
	DIR=$(abspath "$1")
	CONF="$DIR/ceph.conf"
	export CEPH_CONF="$CONF"
	local port
	port=$(cat "$DIR/run/rgw.port" 2>/dev/null) || die "no gateway port recorded in $DIR"
	spawn rgw radosgw -c "$CONF" -f -n client.rgw
	local deadline=$((SECONDS + ${RGW_START_TIMEOUT:-60}))
	until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null; do
		alive rgw
		((SECONDS < deadline)) || die "S3 endpoint http://127.0.0.1:$port/ not back"
		sleep 0.2
	done
	echo "RGW_ENDPOINT=http://127.0.0.1:$port"
}

# Freeze the gateway (SIGSTOP): the kernel still accepts connections on its
# port, but nothing answers; requests hang until the client gives up. That is
# how a wedged or partitioned S3 looks, unlike pause (connection refused).
cmd_signal() {
	[[ $# -eq 2 ]] || usage
	DIR=$(abspath "$2")
	CONF="$DIR/ceph.conf"
	local pid
	pid=$(cat "$DIR/run/rgw.pid" 2>/dev/null) || die "no gateway in $DIR"
	is_our_pid "$pid" "$CONF" || die "the gateway of $DIR is not running"
	kill "-$1" "$pid"
}

# --- main --------------------------------------------------------------------

case ${1:-} in
install) shift && cmd_install "$@" ;;
start) shift && cmd_start "$@" ;;
stop) shift && cmd_stop "$@" ;;
pause) shift && cmd_pause "$@" ;;
resume) shift && cmd_resume "$@" ;;
freeze) shift && cmd_signal STOP "$@" ;;
thaw) shift && cmd_signal CONT "$@" ;;
*) usage ;;
esac
