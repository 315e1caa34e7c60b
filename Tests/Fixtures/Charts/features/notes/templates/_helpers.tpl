{{- define "notes.name" -}}{{ .Chart.Name }}{{- end -}}
