{{- define "len" }}{{ len . }}{{ end }}
