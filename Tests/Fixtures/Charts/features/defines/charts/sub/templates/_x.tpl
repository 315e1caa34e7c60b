{{ define "shared" }}sub{{ end }}{{ define "sub.only" }}from-sub-{{ .Chart.Name }}{{ end }}
