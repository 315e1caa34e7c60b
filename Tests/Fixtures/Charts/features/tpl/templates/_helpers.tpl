{{ define "tpl.suffix" }}sfx-{{ .Values.list | len }}{{ end }}
