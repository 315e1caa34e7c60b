{{ define "shared" }}root-a{{ end }}
