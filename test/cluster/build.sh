#!/usr/bin/env bash
# Builds the real Kubernetes control plane used by the integration tests, from the Go module
# proxy (there is no Docker and no release-binary download on our machines; design.md §6).
#
#   test/cluster/build.sh            build whatever is missing, print a summary
#   KUBETUNE_CACHE=/some/dir ...     cache root (default ~/.cache/kubetune); binaries in $CACHE/bin
#
# What it builds, each pinned below:
#   etcd                      through a wrapper module that requires go.etcd.io/etcd/server/v3
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
#                             through a wrapper module that requires k8s.io/kubernetes; its replace
#                             list is generated from that release's own go.mod (k8s.io/kubernetes
#                             points its staging modules at ./staging/..., which a dependent
#                             module cannot see, so each becomes `=> k8s.io/<name> v0.<minor>.<patch>`)
#   helm                      `go install helm.sh/helm/v3/cmd/helm@<version>`
#
# Idempotent: a binary is rebuilt only when the stamp file next to it names another version, so a
# second run with everything present takes seconds. Each component's outcome is written to
# $CACHE/bin/status.json so the tests can skip with the exact failing command and reason.
set -uo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
HELM_VERSION="${HELM_VERSION:-v3.19.5}"

CACHE="${KUBETUNE_CACHE:-$HOME/.cache/kubetune}"
BIN="$CACHE/bin"
SRC="$CACHE/src"
LOGS="$CACHE/logs"
mkdir -p "$BIN" "$SRC" "$LOGS"
# Two test runs starting at once on a cold cache: the second waits for the first, then finds
# everything built.
exec 9>"$CACHE/build.lock"
flock 9

# The toolchain on the machine is the one we build with; never let go.mod trigger a download.
# Where PATH lacks it (a bare CI environment), the image's usual install place is tried.
command -v go >/dev/null || { [[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"; }
export GOTOOLCHAIN=local
export GOFLAGS="-trimpath -buildvcs=false"
export CGO_ENABLED=0
# Two cores shared with everything else: keep the build polite.
PAR="${KUBETUNE_BUILD_PARALLEL:-2}"
NICE=(nice -n 10)

declare -A STATUS=()
declare -A REASON=()
start_all=$(date +%s)

# up_to_date NAME VERSION: the binary exists and its stamp names VERSION.
up_to_date() { [[ -x "$BIN/$1" && "$(cat "$BIN/$1.version" 2>/dev/null)" == "$2" ]]; }

# run_logged NAME CMD...: run CMD with output to $LOGS/NAME.log; on failure remember the command
# and the log's last lines as the reason.
run_logged() {
  local name=$1; shift
  echo "+ $*" >>"$LOGS/$name.log"
  if ! "$@" >>"$LOGS/$name.log" 2>&1; then
    REASON[$name]="command failed: $* -- $(grep -v '^+ ' "$LOGS/$name.log" | tail -n 5 | tr '\n\t' '  ' | tr '"\\' "'/")"
    return 1
  fi
}

build_etcd() {
  local name=etcd dir="$SRC/etcd-$ETCD_VERSION"
  if up_to_date etcd "$ETCD_VERSION"; then STATUS[$name]=cached; return; fi
  : >"$LOGS/$name.log"
  local t0; t0=$(date +%s)
  mkdir -p "$dir"
  # Our own five-line main: etcdmain is the entry point the upstream binary uses.
  cat >"$dir/main.go" <<'GO'
// Wrapper so etcd can be built from the module proxy: the same entry point as the etcd binary.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  printf 'module kubetune.local/etcd\n\ngo 1.24\n' >"$dir/go.mod"
  # `go -C`, not a subshell: run_logged must record the failure reason in this shell.
  if run_logged $name go -C "$dir" get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" \
      && run_logged $name go -C "$dir" mod tidy \
      && run_logged $name "${NICE[@]}" go -C "$dir" build -p "$PAR" -ldflags "-s -w" -o "$BIN/etcd.tmp" .; then
    mv "$BIN/etcd.tmp" "$BIN/etcd" && echo "$ETCD_VERSION" >"$BIN/etcd.version"
    STATUS[$name]="built in $(( $(date +%s) - t0 ))s"
  else
    STATUS[$name]=failed
  fi
}

build_kube() {
  local name=kubernetes dir="$SRC/kubernetes-$KUBE_VERSION"
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local missing=0 b
  for b in "${bins[@]}"; do up_to_date "$b" "$KUBE_VERSION" || missing=1; done
  if [[ $missing == 0 ]]; then STATUS[$name]=cached; return; fi
  : >"$LOGS/$name.log"
  local t0; t0=$(date +%s)
  mkdir -p "$dir"
  local minor_patch=${KUBE_VERSION#v1.}            # 34.4
  local staging_version="v0.$minor_patch"           # v0.34.4
  # Fetch the release's go.mod and derive the wrapper's go directive and replace list from it.
  local upstream_mod
  upstream_mod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" 2>>"$LOGS/$name.log" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
  if [[ -z "$upstream_mod" || ! -f "$upstream_mod" ]]; then
    REASON[$name]="command failed: go mod download -json k8s.io/kubernetes@$KUBE_VERSION -- $(tail -n 5 "$LOGS/$name.log" | tr '\n' ' ')"
    STATUS[$name]=failed; return
  fi
  {
    echo "// Generated by test/cluster/build.sh from k8s.io/kubernetes@$KUBE_VERSION's go.mod."
    echo "module kubetune.local/kubernetes"
    echo
    grep -E '^go [0-9]' "$upstream_mod"
    grep -E '^godebug ' "$upstream_mod" || true
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    # Lines like `	k8s.io/api => ./staging/src/k8s.io/api`
    sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/.*#\t\1 => \1 '"$staging_version"'#p' "$upstream_mod"
    echo ")"
  } >"$dir/go.mod"
  local pkgs=()
  for b in "${bins[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  # What hack/lib/version.sh stamps, so /version reports the real release.
  local build_date; build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor_patch%%.*}"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
  done
  rm -rf "$dir/out"; mkdir -p "$dir/out"
  if run_logged $name go -C "$dir" get "${pkgs[@]/%/@$KUBE_VERSION}" \
      && run_logged $name "${NICE[@]}" go -C "$dir" build -p "$PAR" -ldflags "$ld" -o "$dir/out/" "${pkgs[@]}"; then
    for b in "${bins[@]}"; do mv "$dir/out/$b" "$BIN/$b" && echo "$KUBE_VERSION" >"$BIN/$b.version"; done
    STATUS[$name]="built in $(( $(date +%s) - t0 ))s"
  else
    STATUS[$name]=failed
  fi
}

build_helm() {
  local name=helm
  if up_to_date helm "$HELM_VERSION"; then STATUS[$name]=cached; return; fi
  : >"$LOGS/$name.log"
  local t0; t0=$(date +%s)
  local gobin="$SRC/helm-$HELM_VERSION"; mkdir -p "$gobin"
  if GOBIN="$gobin" run_logged $name "${NICE[@]}" go install -p "$PAR" -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
      "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"; then
    mv "$gobin/helm" "$BIN/helm" && echo "$HELM_VERSION" >"$BIN/helm.version"
    STATUS[$name]="built in $(( $(date +%s) - t0 ))s"
  else
    STATUS[$name]=failed
  fi
}

only=("$@")
[[ ${#only[@]} == 0 ]] && only=(etcd kubernetes helm)
for c in "${only[@]}"; do
  case $c in
    etcd) build_etcd ;;
    kubernetes) build_kube ;;
    helm) build_helm ;;
    *) echo "unknown component $c (etcd, kubernetes, helm)" >&2; exit 2 ;;
  esac
done

total=$(( $(date +%s) - start_all ))
rc=0
{
  echo "{"
  echo "  \"kubernetes\": \"$KUBE_VERSION\", \"etcd\": \"$ETCD_VERSION\", \"helm\": \"$HELM_VERSION\","
  echo "  \"seconds\": $total,"
  echo "  \"components\": {"
  first=1
  for c in "${!STATUS[@]}"; do
    [[ $first == 1 ]] || echo ","
    first=0
    printf '    "%s": {"status": "%s", "reason": "%s"}' "$c" "${STATUS[$c]}" "${REASON[$c]:-}"
  done
  echo
  echo "  }"
  echo "}"
} >"$BIN/status.json.tmp" && mv "$BIN/status.json.tmp" "$BIN/status.json"
for c in "${!STATUS[@]}"; do
  echo "$c: ${STATUS[$c]}${REASON[$c]:+ -- ${REASON[$c]}}"
  [[ ${STATUS[$c]} == failed ]] && rc=1
done
echo "total ${total}s, binaries in $BIN"
exit $rc
