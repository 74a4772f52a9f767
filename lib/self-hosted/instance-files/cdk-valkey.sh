#!/usr/bin/env bash
# Boots and runs the instance of a cdk-valkey SelfHostedCache (Amazon Linux 2023), one step per
# subcommand so that each can also run alone:
#
#   cdk-valkey.sh boot              as root from user data: every step below, in order
#   cdk-valkey.sh install           nodejs20, jq and the CloudWatch agent from the distribution
#   cdk-valkey.sh attach-endpoint   attach the cache's network interface (clients' fixed address)
#   cdk-valkey.sh mount-data        the encrypted gp3 data volume at the data dir
#   cdk-valkey.sh write-config      the server's config file, root only, password from Secrets Manager
#   cdk-valkey.sh restore           the latest snapshot from S3 (or the seed .rdb) into the data dir
#   cdk-valkey.sh start             CloudWatch agent, systemd units and timer; start the server
#   cdk-valkey.sh serve             run the server on the config read from stdin (the unit's ExecStart)
#   cdk-valkey.sh snapshot          BGSAVE, wait for it, upload to S3 (the timer and ExecStop)
#
# Settings come from /etc/cdk-valkey/instance.env (written by user data; nothing secret in it).
# Paths and commands can be overridden by environment variables (CDK_VALKEY_DATA_DIR, …) so that
# the tests run write-config, restore, serve and snapshot in a scratch folder, without root or
# systemd, against moto_server (AWS_ENDPOINT_URL, honoured by the aws CLI).
set -euo pipefail
export LC_ALL=C

ENV_FILE=${CDK_VALKEY_ENV_FILE:-/etc/cdk-valkey/instance.env}
if [[ -r $ENV_FILE ]]; then
  set -a
  # shellcheck source=/dev/null
  . "$ENV_FILE"
  set +a
fi

DATA_DIR=${CDK_VALKEY_DATA_DIR:-/var/lib/cdk-valkey}
CONF_DIR=${CDK_VALKEY_CONF_DIR:-/etc/cdk-valkey}
CONF_FILE=$CONF_DIR/server.conf
PARAMETERS_FILE=${CDK_VALKEY_PARAMETERS_FILE:-$CONF_DIR/parameters.conf}
SERVER_JS=${CDK_VALKEY_SERVER_JS:-/opt/cdk-valkey/server.js}
SCRIPT=${CDK_VALKEY_SCRIPT:-/opt/cdk-valkey/cdk-valkey.sh}
NODE_BIN=${CDK_VALKEY_NODE:-}
SYSTEMCTL=${CDK_VALKEY_SYSTEMCTL:-systemctl}
MEMINFO=${CDK_VALKEY_MEMINFO:-/proc/meminfo}
BIND=${CDK_VALKEY_BIND:-0.0.0.0}
DATA_DEVICE=${CDK_VALKEY_DATA_DEVICE:-/dev/sdb}
LOG_DIR=${CDK_VALKEY_LOG_DIR:-/var/log/cdk-valkey}
SERVER_USER=${CDK_VALKEY_USER:-cdk-valkey}
SNAPSHOT_TIMEOUT=${CDK_VALKEY_SNAPSHOT_TIMEOUT_SECONDS:-3600}
MAXMEMORY_PERCENT=${CDK_VALKEY_MAXMEMORY_PERCENT:-50}
# The share of memory node's heap may grow to: above maxmemory, below what the kernel would kill.
HEAP_PERCENT=85
CRLF=$'\r\n'

log() {
  printf '%s cdk-valkey: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# Fails with the setting's name when one the step needs is empty.
need() {
  local name
  for name in "$@"; do
    [[ -n ${!name:-} ]] || die "$name is not set (expected in $ENV_FILE)"
  done
}

aws_cli() {
  aws --region "${CDK_VALKEY_REGION:?CDK_VALKEY_REGION is not set}" "$@"
}

imds() {
  local token
  token=$(curl -sSf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -sSf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

memtotal_bytes() {
  local kib
  kib=$(awk '$1 == "MemTotal:" { print $2 }' "$MEMINFO")
  [[ $kib =~ ^[0-9]+$ ]] || die "cannot read MemTotal from $MEMINFO"
  echo $((kib * 1024))
}

step_install() {
  dnf install -y -q nodejs20 jq amazon-cloudwatch-agent
  id -u "$SERVER_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin "$SERVER_USER"
  mkdir -p "$LOG_DIR"
}

# The endpoint interface is free once the previous instance is gone; wait for it, then attach.
step_attach_endpoint() {
  need CDK_VALKEY_ENDPOINT_ENI
  local instance status attached deadline=$((SECONDS + 900))
  instance=$(imds instance-id)
  while ((SECONDS < deadline)); do
    read -r status attached < <(aws_cli ec2 describe-network-interfaces --network-interface-ids "$CDK_VALKEY_ENDPOINT_ENI" \
      --query 'NetworkInterfaces[0].[Status, Attachment.InstanceId]' --output text)
    if [[ $status == in-use && $attached == "$instance" ]]; then
      log "endpoint interface $CDK_VALKEY_ENDPOINT_ENI is attached"
      return
    fi
    if [[ $status == available ]]; then
      aws_cli ec2 attach-network-interface --network-interface-id "$CDK_VALKEY_ENDPOINT_ENI" --instance-id "$instance" --device-index 1 >/dev/null || true
    else
      log "endpoint interface $CDK_VALKEY_ENDPOINT_ENI is $status (attached to $attached); waiting for it"
    fi
    sleep 10
  done
  die "endpoint interface $CDK_VALKEY_ENDPOINT_ENI could not be attached within 15 minutes"
}

step_mount_data() {
  local deadline=$((SECONDS + 300)) uuid
  until [[ -b $DATA_DEVICE ]]; do
    ((SECONDS < deadline)) || die "data volume $DATA_DEVICE did not appear within 5 minutes"
    sleep 2
  done
  if ! blkid "$DATA_DEVICE" >/dev/null 2>&1; then
    log "formatting the new data volume $DATA_DEVICE (xfs)"
    mkfs.xfs -q "$DATA_DEVICE"
  fi
  mkdir -p "$DATA_DIR"
  uuid=$(blkid -s UUID -o value "$DATA_DEVICE")
  grep -q "UUID=$uuid" /etc/fstab || echo "UUID=$uuid $DATA_DIR xfs defaults,nofail 0 2" >>/etc/fstab
  mountpoint -q "$DATA_DIR" || mount "$DATA_DIR"
  chown "$SERVER_USER:" "$DATA_DIR"
  chmod 0750 "$DATA_DIR"
}

# The password as ElastiCache would accept it: 16–128 letters, digits and ! & # $ ^ < > -.
read_password() {
  local secret password valid='^[A-Za-z0-9!&#$^<>-]{16,128}$'
  secret=$(aws_cli secretsmanager get-secret-value --secret-id "$CDK_VALKEY_SECRET_ARN" --query SecretString --output text)
  if [[ -n ${CDK_VALKEY_SECRET_JSON_FIELD:-} ]]; then
    password=$(jq -er --arg field "$CDK_VALKEY_SECRET_JSON_FIELD" '.[$field] | strings' <<<"$secret") ||
      die "secret $CDK_VALKEY_SECRET_ARN has no string field '$CDK_VALKEY_SECRET_JSON_FIELD'"
  else
    password=$secret
  fi
  [[ $password =~ $valid ]] ||
    die "the password in secret $CDK_VALKEY_SECRET_ARN must be 16-128 letters, digits and ! & # \$ ^ < > - (ElastiCache's AUTH token rules); it is not"
  printf '%s' "$password"
}

step_write_config() {
  need CDK_VALKEY_PORT
  local password='' maxmemory tmp
  [[ -z ${CDK_VALKEY_SECRET_ARN:-} ]] || password=$(read_password)
  maxmemory=$(($(memtotal_bytes) * MAXMEMORY_PERCENT / 100))
  mkdir -p "$CONF_DIR" "$DATA_DIR"
  tmp=$(mktemp "$CONF_DIR/.server.conf.XXXXXX")
  chmod 0600 "$tmp"
  {
    echo "# Written by cdk-valkey.sh write-config at boot. Root only: it holds the password."
    echo "port $CDK_VALKEY_PORT"
    echo "bind $BIND"
    echo "dir $DATA_DIR"
    echo "dbfilename dump.rdb"
    echo "maxmemory $maxmemory"
    if [[ -n $password ]]; then
      echo "requirepass \"$password\""
    else
      # CacheAuth.none(): protected mode would refuse every client that is not on loopback; the
      # security group is what limits who connects.
      echo "protected-mode no"
    fi
    if [[ -s $PARAMETERS_FILE ]]; then
      echo "# parameters (later lines win, so these override the maxmemory above)"
      cat "$PARAMETERS_FILE"
    fi
  } >"$tmp"
  mv -f "$tmp" "$CONF_FILE"
  log "wrote $CONF_FILE (maxmemory $maxmemory bytes, ${MAXMEMORY_PERCENT}% of memory)"
}

# True when s3://$1/$2 exists (listing, so that a missing object is not confused with a denial).
s3_object_exists() {
  local found
  found=$(aws_cli s3api list-objects-v2 --bucket "$1" --prefix "$2" --query "Contents[?Key=='$2'].Key" --output text)
  [[ $found == "$2" ]]
}

# Before the server starts: a local dump.rdb (same instance, restarted) is the newest data; a new
# data volume gets the latest snapshot from S3, or else the seed .rdb.
step_restore() {
  need CDK_VALKEY_BUCKET CDK_VALKEY_SNAPSHOT_PREFIX
  local dump=$DATA_DIR/dump.rdb latest=${CDK_VALKEY_SNAPSHOT_PREFIX}latest.rdb source=''
  mkdir -p "$DATA_DIR"
  if [[ -s $dump ]]; then
    log "keeping $dump on the data volume"
    return
  fi
  if s3_object_exists "$CDK_VALKEY_BUCKET" "$latest"; then
    source="s3://$CDK_VALKEY_BUCKET/$latest"
  elif [[ -n ${CDK_VALKEY_SEED_OBJECT:-} ]]; then
    source=$CDK_VALKEY_SEED_OBJECT
  else
    log "no snapshot in s3://$CDK_VALKEY_BUCKET/$latest and no seed: starting empty"
    return
  fi
  aws_cli s3 cp --only-show-errors "$source" "$dump.download"
  mv -f "$dump.download" "$dump"
  if id -u "$SERVER_USER" >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then chown "$SERVER_USER:" "$dump"; fi
  log "restored $dump from $source ($(wc -c <"$dump") bytes)"
}

# The CloudWatch agent: the server and boot logs to the log group, memory and data volume usage
# as metrics aggregated by AutoScalingGroupName.
write_agent_config() {
  need CDK_VALKEY_LOG_GROUP
  local config=/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json
  jq -n --arg group "$CDK_VALKEY_LOG_GROUP" --arg logs "$LOG_DIR" --arg data "$DATA_DIR" '{
    agent: { run_as_user: "root" },
    logs: { logs_collected: { files: { collect_list: [
      { file_path: ($logs + "/server.log"), log_group_name: $group, log_stream_name: "{instance_id}/server" },
      { file_path: ($logs + "/boot.log"), log_group_name: $group, log_stream_name: "{instance_id}/boot" }
    ] } } },
    metrics: {
      namespace: "CWAgent",
      append_dimensions: { AutoScalingGroupName: "${aws:AutoScalingGroupName}" },
      aggregation_dimensions: [["AutoScalingGroupName"], ["AutoScalingGroupName", "path"]],
      metrics_collected: {
        mem: { measurement: ["mem_used_percent"] },
        disk: { measurement: ["used_percent"], resources: [$data], drop_device: true }
      }
    }
  }' >"$config"
  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$config"
}

step_start() {
  need CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS
  write_agent_config
  {
    echo "# Written by cdk-valkey.sh start: uploads the RDB file to S3 on SelfHostedCache's schedule."
    echo "[Unit]"
    echo "Description=cdk-valkey snapshot to S3"
    echo "[Timer]"
    echo "OnActiveSec=${CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS}s"
    echo "OnUnitActiveSec=${CDK_VALKEY_SNAPSHOT_INTERVAL_SECONDS}s"
    [[ -z ${CDK_VALKEY_SNAPSHOT_CALENDAR:-} ]] || echo "OnCalendar=$CDK_VALKEY_SNAPSHOT_CALENDAR"
    echo "[Install]"
    echo "WantedBy=timers.target"
  } >/etc/systemd/system/cdk-valkey-snapshot.timer
  "$SYSTEMCTL" daemon-reload
  "$SYSTEMCTL" enable --now cdk-valkey.service
  "$SYSTEMCTL" enable --now cdk-valkey-snapshot.timer
}

# Runs the server in the foreground on the config file given on stdin (systemd opens the root-only
# file for the unprivileged server), with node's heap sized to the instance and the young
# generation the server is tuned for (lib/server/heap-tuning.ts, NURSERY_FLAG).
step_serve() {
  local node=$NODE_BIN heap_mib
  if [[ -z $node ]]; then
    if [[ -x /usr/bin/node-20 ]]; then node=/usr/bin/node-20; else node=$(command -v node) || die "node is not installed"; fi
  fi
  heap_mib=$(($(memtotal_bytes) * HEAP_PERCENT / 100 / 1048576))
  exec "$node" --max-old-space-size="$heap_mib" --min-semi-space-size=8 "$SERVER_JS" -
}

# --- RESP over bash's /dev/tcp: the snapshot step needs no client binary on the instance. ---

resp_send() {
  local out="*$#$CRLF" arg
  for arg in "$@"; do out+="\$${#arg}$CRLF$arg$CRLF"; done
  printf '%s' "$out" >&3
}

# Reads one reply into REPLY_LINE (status, error or integer line) or REPLY_BULK (bulk string).
resp_read() {
  local length
  IFS= read -r -t 30 REPLY_LINE <&3 || die "no reply from the server"
  REPLY_LINE=${REPLY_LINE%$'\r'}
  REPLY_BULK=''
  if [[ $REPLY_LINE == \$* ]]; then
    length=${REPLY_LINE#\$}
    if ((length >= 0)); then
      IFS= read -r -t 30 -N "$((length + 2))" REPLY_BULK <&3 || die "short bulk reply from the server"
      REPLY_BULK=${REPLY_BULK%"$CRLF"}
    fi
  fi
}

resp_call() {
  resp_send "$@"
  resp_read
}

conf_value() {
  awk -v name="$1" '$1 == name { sub(/^[^ ]+ /, ""); value = $0 } END { print value }' "$CONF_FILE"
}

# BGSAVE, then wait until LASTSAVE moves past the time before it: the file on disk is then complete.
bgsave_and_wait() {
  local before deadline=$((SECONDS + SNAPSHOT_TIMEOUT))
  resp_call LASTSAVE
  before=${REPLY_LINE#:}
  # LASTSAVE counts seconds: start in a later second than the last save, so ours shows as newer.
  while (($(date +%s) <= before)); do sleep 0.2; done
  while :; do
    resp_call BGSAVE
    [[ $REPLY_LINE == -*"in progress"* ]] || break
    ((SECONDS < deadline)) || die "a save in progress did not finish within ${SNAPSHOT_TIMEOUT}s"
    sleep 1
  done
  [[ $REPLY_LINE == +* ]] || die "BGSAVE refused: ${REPLY_LINE#-}"
  while :; do
    resp_call LASTSAVE
    ((${REPLY_LINE#:} > before)) && return
    resp_call INFO persistence
    if [[ $REPLY_BULK == *"rdb_bgsave_in_progress:0"* && $REPLY_BULK == *"rdb_last_bgsave_status:err"* ]]; then
      die "BGSAVE failed (INFO persistence: rdb_last_bgsave_status:err); see the server log"
    fi
    ((SECONDS < deadline)) || die "BGSAVE did not finish within ${SNAPSHOT_TIMEOUT}s"
    sleep 1
  done
}

step_snapshot() {
  need CDK_VALKEY_BUCKET CDK_VALKEY_SNAPSHOT_PREFIX
  local port password dump latest stamp
  port=$(conf_value port)
  password=$(conf_value requirepass)
  password=${password#\"}
  password=${password%\"}
  dump=$(conf_value dir)/$(conf_value dbfilename)
  if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    if [[ -n $password ]]; then
      resp_call AUTH "$password"
      [[ $REPLY_LINE == +OK ]] || die "AUTH refused: ${REPLY_LINE#-}"
    fi
    bgsave_and_wait
    exec 3>&-
  else
    # The server is down (crashed, or stopping): upload the last file it saved, if any.
    log "warning: the server does not answer on port $port; uploading the last saved file"
  fi
  [[ -s $dump ]] || die "no RDB file at $dump to upload"
  # The server replaces the file by rename: copy one complete version, then upload the copy.
  STAGING=$(mktemp "$(dirname "$dump")/.snapshot-upload.XXXXXX")
  trap 'rm -f "$STAGING"' EXIT
  cp -- "$dump" "$STAGING"
  latest="s3://$CDK_VALKEY_BUCKET/${CDK_VALKEY_SNAPSHOT_PREFIX}latest.rdb"
  aws_cli s3 cp --only-show-errors --sse AES256 "$STAGING" "$latest"
  if [[ ${CDK_VALKEY_HISTORY:-no} == yes ]]; then
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    aws_cli s3 cp --only-show-errors --sse AES256 "$latest" "s3://$CDK_VALKEY_BUCKET/${CDK_VALKEY_SNAPSHOT_PREFIX}history/$stamp.rdb"
  fi
  log "uploaded $dump ($(wc -c <"$STAGING") bytes) to $latest"
}

step_boot() {
  mkdir -p "$LOG_DIR"
  exec > >(tee -a "$LOG_DIR/boot.log") 2>&1
  log "boot: $CDK_VALKEY_NAME"
  step_install
  step_attach_endpoint
  step_mount_data
  step_write_config
  step_restore
  step_start
  log "boot complete: the server accepts clients on port $CDK_VALKEY_PORT"
}

case ${1:-} in
  boot) step_boot ;;
  install) step_install ;;
  attach-endpoint) step_attach_endpoint ;;
  mount-data) step_mount_data ;;
  write-config) step_write_config ;;
  restore) step_restore ;;
  start) step_start ;;
  serve) step_serve ;;
  snapshot) step_snapshot ;;
  *)
    echo "usage: $SCRIPT boot|install|attach-endpoint|mount-data|write-config|restore|start|serve|snapshot" >&2
    exit 2
    ;;
esac
