{{ define "shared" }}root-b{{ end }}{{ define "onlyB" }}b{{ end }}
