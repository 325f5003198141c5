{{/*
Helpers of the kubetune chart. Names are cut to 63 characters (the DNS label limit of most
Kubernetes names); helpers that can be misused stop the render with a message saying how to call
them, rather than rendering something half-right.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "kubetune.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: fullnameOverride, else the release name followed by the chart
name unless the release name already contains it ("kubetune" → kubetune, "prod" → prod-kubetune).
*/}}
{{- define "kubetune.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* `<fullname>-<suffix>`, cut to 63 characters: include "kubetune.suffixed" (list . "edit"). */}}
{{- define "kubetune.suffixed" -}}
{{- if not (and (kindIs "slice" .) (eq (len .) 2)) }}
{{- fail "kubetune.suffixed: call it as (list $ \"suffix\")" }}
{{- end }}
{{- $suffix := index . 1 }}
{{- $base := include "kubetune.fullname" (index . 0) | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" }}
{{- printf "%s-%s" $base $suffix }}
{{- end }}

{{/* Chart name and version, as the helm.sh/chart label. */}}
{{- define "kubetune.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The labels every resource carries. */}}
{{- define "kubetune.labels" -}}
helm.sh/chart: {{ include "kubetune.chart" . }}
{{ include "kubetune.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubetune
{{- end }}

{{/* The labels that select the operator pods; never change them (Deployment selectors are immutable). */}}
{{- define "kubetune.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubetune.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "kubetune.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kubetune.fullname" .) .Values.serviceAccount.name }}
{{- else if .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else }}
{{- fail "serviceAccount.name must be set when serviceAccount.create is false (the operator needs an account to run as)" }}
{{- end }}
{{- end }}

{{/* The name of the leader-election Lease (and of the Role that may update only it). */}}
{{- define "kubetune.leaseName" -}}
{{- include "kubetune.fullname" . }}
{{- end }}

{{/*
An image reference from {registry, repository, tag, digest}:
  include "kubetune.image" (list .Values.image .Chart.AppVersion)
The tag defaults to the second element; a digest pins the image (repository:tag@digest).
*/}}
{{- define "kubetune.image" -}}
{{- if not (and (kindIs "slice" .) (eq (len .) 2) (kindIs "map" (index . 0))) }}
{{- fail "kubetune.image: call it as (list .Values.image .Chart.AppVersion), with image a map of registry, repository, tag and digest" }}
{{- end }}
{{- $image := index . 0 }}
{{- $defaultTag := index . 1 | toString }}
{{- if not $image.repository }}
{{- fail "image.repository must not be empty" }}
{{- end }}
{{- $ref := $image.repository }}
{{- if $image.registry }}
{{- $ref = printf "%s/%s" (trimSuffix "/" $image.registry) $image.repository }}
{{- end }}
{{- $tag := default $defaultTag $image.tag | toString }}
{{- if $tag }}
{{- $ref = printf "%s:%s" $ref $tag }}
{{- end }}
{{- if $image.digest }}
{{- if not (regexMatch "^[a-z0-9]+:[a-f0-9]{32,}$" $image.digest) }}
{{- fail (printf "image.digest %q is not a digest such as sha256:<64 hex digits>" $image.digest) }}
{{- end }}
{{- $ref = printf "%s@%s" $ref $image.digest }}
{{- end }}
{{- $ref }}
{{- end }}

{{/*
Rejects values that contradict each other, before anything is rendered; included by every
template that depends on them (a fail in any template stops the whole install).
*/}}
{{- define "kubetune.checkValues" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicaCount > 1 needs leaderElection.enabled: without the Lease every replica would reconcile the same studies" }}
{{- end }}
{{- with .Values.podDisruptionBudget }}
{{- if .enabled }}
{{- if and (hasKey . "minAvailable") (hasKey . "maxUnavailable") }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (unset the default with --set podDisruptionBudget.minAvailable=null)" }}
{{- end }}
{{- if le (int $.Values.replicaCount) 1 }}
{{- fail "podDisruptionBudget.enabled needs replicaCount >= 2: a budget over a single pod blocks every node drain" }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled: the ServiceMonitor scrapes through the Service" }}
{{- end }}
{{- if eq (int .Values.metrics.port) (int .Values.healthProbe.port) }}
{{- fail "metrics.port and healthProbe.port must differ (each is its own container port)" }}
{{- end }}
{{- range .Values.watchNamespaces }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" .) }}
{{- fail (printf "watchNamespaces: %q is not a namespace name" .) }}
{{- end }}
{{- end }}
{{- end }}
