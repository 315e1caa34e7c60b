{{- define "t" }}{{ typeOf . }}|{{ kindOf . }}|{{ printf "%T" . }}|{{ typeIs "common.Values" . }}|{{ kindIs "map" . }}|{{ typeIsLike "common.Values" . }}{{ end }}
{{- define "x" }}{{ typeOf . }}{{ end }}
