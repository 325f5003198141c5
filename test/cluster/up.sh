#!/usr/bin/env bash
# Starts the test cluster by hand (building it first if needed) and keeps it up until Ctrl-C.
#
#   test/cluster/up.sh                         one node, 4 GPUs
#   test/cluster/up.sh --gpus 2                one node, 2 GPUs
#   test/cluster/up.sh --nodes '[{"name":"a","gpus":2},{"name":"b","gpus":8}]'
#   test/cluster/up.sh --info-file /tmp/kt.json   then: KUBETUNE_CLUSTER_INFO=/tmp/kt.json node test/run.mjs integration
#
# See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --import tsx test/cluster/up.ts "$@"
