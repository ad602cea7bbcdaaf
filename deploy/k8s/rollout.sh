#!/usr/bin/env bash
# Rolls out one overlay with plain kubectl, migrations first:
#   deploy/k8s/rollout.sh deploy/k8s/overlays/prod
# 1. applies everything that is not a workload (namespace, config, services, policies, ...);
# 2. with the strimzi-kafka component: waits for the Kafka cluster and its topics;
# 3. re-creates the migrations Job and waits until it has completed (stops on failure,
#    printing its logs), while the old pods keep serving;
# 4. applies the rest (the Deployments roll, the console's among them, so that its pages and the
#    API they call change together) and waits for every rollout.
# Argo CD users don't need this: the Job's PreSync hook annotation does step 3.
# The passway-secrets Secret must exist (deploy/k8s/base/secret.template.yaml).
set -euo pipefail

overlay=${1:?usage: $0 <overlay directory>}
kubectl=${KUBECTL:-kubectl}
migrate_timeout=${MIGRATE_TIMEOUT_SECONDS:-900}
rollout_timeout=${ROLLOUT_TIMEOUT:-10m}
job=passway-migrate

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
"$kubectl" kustomize "$overlay" > "$rendered"

namespace=$(awk '/^kind: Namespace$/ { found = 1 } found && /^  name: / { print $2; exit }' "$rendered")
if [[ -z "$namespace" ]]; then
  echo "rollout: $overlay renders no Namespace object" >&2
  exit 1
fi

echo "rollout: $overlay → namespace $namespace"
"$kubectl" apply -f "$rendered" -l "app.kubernetes.io/component notin (api,service,frontend,migrations)"

if grep -q '^kind: KafkaTopic$' "$rendered"; then
  echo "rollout: waiting for the Strimzi Kafka cluster and topics"
  "$kubectl" -n "$namespace" wait kafka --all --for=condition=Ready --timeout=20m
  "$kubectl" -n "$namespace" wait kafkatopic --all --for=condition=Ready --timeout=5m
fi

echo "rollout: running migrations"
"$kubectl" -n "$namespace" delete job "$job" --ignore-not-found --wait=true
"$kubectl" apply -f "$rendered" -l app.kubernetes.io/component=migrations
deadline=$((SECONDS + migrate_timeout))
while true; do
  conditions=$("$kubectl" -n "$namespace" get job "$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
  if [[ " $conditions " == *" Complete "* ]]; then
    echo "rollout: migrations complete"
    break
  fi
  if [[ " $conditions " == *" Failed "* ]] || (( SECONDS >= deadline )); then
    echo "rollout: migrations did not complete (conditions: ${conditions:-none}); nothing else was rolled out" >&2
    "$kubectl" -n "$namespace" logs "job/$job" --all-containers --tail=200 >&2 || true
    exit 1
  fi
  sleep 5
done

echo "rollout: applying workloads"
"$kubectl" apply -f "$rendered" -l "app.kubernetes.io/component in (api,service,frontend)"
for deployment in $("$kubectl" -n "$namespace" get deployment -l app.kubernetes.io/part-of=passway -o name); do
  "$kubectl" -n "$namespace" rollout status "$deployment" --timeout="$rollout_timeout"
done
echo "rollout: done"
