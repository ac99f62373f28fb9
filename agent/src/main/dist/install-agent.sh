#!/bin/sh
# Installs the Opsbase agent as a systemd service. The Opsbase server serves this script at
# /install/agent.sh; run it as root:
#
#   curl -fsSL https://opsbase.example.net/install/agent.sh | sh -s -- --server https://opsbase.example.net --enroll-token TOKEN
#
# It needs Java 25 or newer, curl or wget, sha256sum and systemd. It downloads from the server
#   /install/opsbase-agent.jar, /install/opsbase-agent.jar.sha256, /install/opsbase-agent (the
#   launcher), /install/opsbase-agent.jvmopts, /install/opsbase-agent.service and
#   /install/opsbase-agent.tmpfiles,
# creates the system user opsbase-agent, /opt/opsbase-agent, /var/lib/opsbase-agent (0700) and
# /etc/opsbase-agent/agent.env (0600), then enables and starts opsbase-agent.service. Once the agent
# has enrolled, the token is removed from agent.env. Running it again upgrades the agent in place
# and keeps its identity.
set -eu

SERVER=""
TOKEN=""
JAVA_BIN=""
PREFIX=/opt/opsbase-agent
STATE_DIR=/var/lib/opsbase-agent
CONF_DIR=/etc/opsbase-agent
USER_NAME=opsbase-agent

say() { printf 'opsbase-agent install: %s\n' "$*"; }
fail() { printf 'opsbase-agent install: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<USAGE
usage: install-agent.sh --server URL --enroll-token TOKEN [--java PATH]
  --server URL          the Opsbase server (http or https)
  --enroll-token TOKEN  an enrollment token (an administrator creates it under Enrollment tokens, /admin/enrollment-tokens); optional
                        when upgrading an agent that has already enrolled
  --java PATH           the java binary to use (default: the first Java 25+ found)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --server) [ $# -ge 2 ] || fail "--server needs a value"; SERVER="$2"; shift 2 ;;
    --enroll-token) [ $# -ge 2 ] || fail "--enroll-token needs a value"; TOKEN="$2"; shift 2 ;;
    --java) [ $# -ge 2 ] || fail "--java needs a value"; JAVA_BIN="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument: $1" ;;
  esac
done

SERVER=$(printf '%s' "$SERVER" | sed 's:/*$::')
case "$SERVER" in
  http://*|https://*) ;;
  *) usage >&2; fail "--server must be an http or https URL" ;;
esac
[ "$(id -u)" -eq 0 ] || fail "run as root (the installer creates a user and a systemd service)"
command -v systemctl >/dev/null 2>&1 || fail "systemd is required"
command -v sha256sum >/dev/null 2>&1 || fail "sha256sum is required"
if [ -z "$TOKEN" ] && [ ! -f "$STATE_DIR/agent-state.json" ]; then
  fail "--enroll-token is required: this host has not enrolled yet"
fi

# The Java specification version of a java binary, e.g. 25 (empty if it does not run).
java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

java_ok() {
  [ -x "$1" ] || return 1
  v=$(java_version "$1")
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

if [ -n "$JAVA_BIN" ]; then
  java_ok "$JAVA_BIN" || fail "$JAVA_BIN is not Java 25 or newer"
else
  for candidate in "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java /opt/java/*/bin/java; do
    if [ -n "$candidate" ] && java_ok "$candidate"; then
      JAVA_BIN=$(readlink -f "$candidate")
      break
    fi
  done
fi
[ -n "$JAVA_BIN" ] || fail "Java 25 or newer is required: install a Java 25 runtime (for example your distribution's openjdk-25-jre-headless or Eclipse Temurin 25), then run this again, or pass --java PATH"
say "using Java $(java_version "$JAVA_BIN") at $JAVA_BIN"

download() { # download URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "curl or wget is required"
  fi
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
say "downloading the agent from $SERVER"
download "$SERVER/install/opsbase-agent.jar" "$WORK/opsbase-agent.jar" || fail "cannot download $SERVER/install/opsbase-agent.jar"
download "$SERVER/install/opsbase-agent.jar.sha256" "$WORK/opsbase-agent.jar.sha256" || fail "cannot download the jar's checksum"
download "$SERVER/install/opsbase-agent" "$WORK/opsbase-agent" || fail "cannot download the launcher"
download "$SERVER/install/opsbase-agent.jvmopts" "$WORK/opsbase-agent.jvmopts" || fail "cannot download the JVM options"
download "$SERVER/install/opsbase-agent.service" "$WORK/opsbase-agent.service" || fail "cannot download the systemd unit"
download "$SERVER/install/opsbase-agent.tmpfiles" "$WORK/opsbase-agent.tmpfiles" || fail "cannot download the tmpfiles rule"
expected=$(awk '{print $1; exit}' "$WORK/opsbase-agent.jar.sha256")
actual=$(sha256sum "$WORK/opsbase-agent.jar" | awk '{print $1}')
[ "$expected" = "$actual" ] || fail "the downloaded jar's SHA-256 is $actual, the server says $expected"

if ! id "$USER_NAME" >/dev/null 2>&1; then
  say "creating system user $USER_NAME"
  nologin=$(command -v nologin 2>/dev/null || echo /usr/sbin/nologin)
  useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell "$nologin" "$USER_NAME"
fi

install -d -m 0755 "$PREFIX"
install -m 0644 "$WORK/opsbase-agent.jar" "$PREFIX/opsbase-agent.jar"
install -m 0755 "$WORK/opsbase-agent" "$PREFIX/opsbase-agent"
install -m 0644 "$WORK/opsbase-agent.jvmopts" "$PREFIX/opsbase-agent.jvmopts"
ln -sfn "$JAVA_BIN" "$PREFIX/java"
install -d -m 0700 -o "$USER_NAME" -g "$USER_NAME" "$STATE_DIR"
install -d -m 0755 "$CONF_DIR"
umask 077
{
  printf 'OPSBASE_SERVER=%s\n' "$SERVER"
  if [ -n "$TOKEN" ]; then printf 'OPSBASE_ENROLL_TOKEN=%s\n' "$TOKEN"; fi
} > "$CONF_DIR/agent.env"
chmod 0600 "$CONF_DIR/agent.env"
umask 022
install -m 0644 "$WORK/opsbase-agent.service" /etc/systemd/system/opsbase-agent.service
install -m 0644 "$WORK/opsbase-agent.tmpfiles" /etc/tmpfiles.d/opsbase-agent.conf
systemd-tmpfiles --create /etc/tmpfiles.d/opsbase-agent.conf 2>/dev/null || say "note: firmware serials stay unreadable until the next boot"
command -v dmidecode >/dev/null 2>&1 || say "note: install dmidecode to report memory modules"

systemctl daemon-reload
systemctl enable opsbase-agent.service >/dev/null
systemctl restart opsbase-agent.service
say "opsbase-agent.service started"

if [ -n "$TOKEN" ]; then
  say "waiting for the agent to enroll"
  i=0
  while [ $i -lt 60 ] && [ ! -f "$STATE_DIR/agent-state.json" ]; do
    sleep 1
    i=$((i + 1))
  done
  if [ -f "$STATE_DIR/agent-state.json" ]; then
    sed -i '/^OPSBASE_ENROLL_TOKEN=/d' "$CONF_DIR/agent.env"
    say "enrolled; the enrollment token was removed from $CONF_DIR/agent.env"
  else
    say "the agent has not enrolled yet: see 'journalctl -u opsbase-agent'"
  fi
fi
