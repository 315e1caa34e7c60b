{{- define "mut" }}{{ $_ := set . "m" 1 }}{{- end }}
{{- define "dollar" }}{{ $.Extra }}{{- end }}
{{- define "renameTemplate" }}{{ $_ := set .Template "Name" "renamed" }}{{- end }}
