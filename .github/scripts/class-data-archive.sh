#!/usr/bin/env bash
# Trains one function's class-data archive inside the Lambda Java 21 base image and puts it at the
# root of the function's zip (/var/task/classes.jsa in Lambda), for the functions that start
# without SnapStart (terraform/locals.tf: snap_start = false; docs/adr/0015-snapstart-priming.md).
#
# The image runs the managed runtime's own command line (its class path, its base CDS archive,
# the function's jars through the runtime's class loader), so the archive is dumped for the JVM
# and the jars that Lambda will run. One event is handled; without the function's servers it fails,
# but init and the event's path load their classes all the same. The JVM is then stopped with
# SIGTERM: an orderly exit is when -XX:ArchiveClassesAtExit writes the archive.
#
# Usage: class-data-archive.sh FUNCTION_ZIP HANDLER_CLASS [PLATFORM]
set -euo pipefail

zip=$(realpath "$1")
handler=$2
platform=${3:-linux/arm64}
image=public.ecr.aws/lambda/java:21

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/task" "$work/archive"
unzip -q "$zip" -d "$work/task"
chmod 777 "$work/archive"

# Placeholder settings: the function must reach the end of init, and nothing it calls exists.
container=$(docker run -d --platform "$platform" \
  -v "$work/task:/var/task:ro" -v "$work/archive:/archive" -p 127.0.0.1:9000:8080 \
  -e JAVA_TOOL_OPTIONS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit=/archive/classes.jsa" \
  -e AWS_REGION=us-east-1 -e AWS_ACCESS_KEY_ID=training -e AWS_SECRET_ACCESS_KEY=training \
  -e DB_HOST=127.0.0.1 -e DB_NAME=training -e DB_SSLMODE=disable -e DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:training \
  -e DB_ADMIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:training \
  -e SECRETS_ENDPOINT=http://127.0.0.1:1 -e S3_ENDPOINT=http://127.0.0.1:1 -e BUCKET_NAME=training \
  -e WEBHOOK_URL=https://127.0.0.1:1/events -e API_KEY_SECRET_ARN=arn:aws:secretsmanager:us-east-1:000000000000:secret:training \
  -e API_BASE_URL=https://127.0.0.1:1 \
  "$image" "io.helloserverless.lambda.$handler::handleRequest")
trap 'docker rm -f "$container" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

for _ in $(seq 1 60); do
  if curl -sS -o "$work/answer.json" -d '{}' http://127.0.0.1:9000/2015-03-31/functions/function/invocations; then
    break
  fi
  sleep 1
done
echo "training invocation answered: $(head -c 300 "$work/answer.json" 2>/dev/null || true)"

# SIGTERM to the runtime's JVM (not to the emulator, which would kill it): it exits in order and dumps.
docker exec "$container" sh -c 'for p in /proc/[0-9]*; do
  if tr "\0" " " < "$p/cmdline" 2>/dev/null | grep -q "runtime.api.client.AWSLambda"; then kill -TERM "${p#/proc/}"; fi
done'
for _ in $(seq 1 60); do
  [ -s "$work/archive/classes.jsa" ] && ! docker exec "$container" sh -c 'grep -l AWSLambda /proc/[0-9]*/cmdline' >/dev/null 2>&1 && break
  sleep 1
done
docker logs "$container" 2>&1 | grep -i -E "cds|archive" || true
test -s "$work/archive/classes.jsa" || { echo "no archive was written for $handler"; exit 1; }

(cd "$work/archive" && zip -q "$zip" classes.jsa)
echo "$(basename "$zip"): classes.jsa $(du -h "$work/archive/classes.jsa" | cut -f1)"
