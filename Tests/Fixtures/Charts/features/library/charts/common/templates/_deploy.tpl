{{- define "common.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
spec:
  replicas: {{ .root.Values.replicas }}
{{- end }}
{{- define "common.labels" -}}
# labels for {{ .Chart.Name }}
kind: List
{{- end }}
