// go-template DIR [ITERATIONS]: Go's own text/template on bosun-bench's workload, set up as Helm's
// engine sets it up (one template set named "gotpl", Sprig's TxtFuncMap without env/expandenv, an
// `include` that executes into a strings.Builder, missingkey=zero). Parses every template under
// DIR/templates, then executes each non-underscore file with DIR/values.json as .Values.
// Prints the same line as `bosun-bench template`, so bench/template.sh can put them side by side.
//
// Built offline in GOPATH mode against Debian's packages (golang-go, golang-github-masterminds-sprig-dev):
// GOPATH=/usr/share/gocode GO111MODULE=off go build. Debian keeps Sprig v3 under its path without
// /v3, which GOPATH mode resolves (its own /v3 imports go through minimal module compatibility).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
)

// Process CPU time (all threads: the garbage collector's work is part of the engine's cost).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-template DIR [ITERATIONS]")
		os.Exit(2)
	}
	dir := os.Args[1]
	iterations := 1
	if len(os.Args) > 2 {
		iterations, _ = strconv.Atoi(os.Args[2])
	}
	entries, err := os.ReadDir(filepath.Join(dir, "templates"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	type file struct{ name, text string }
	var files []file
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".yaml") && !strings.HasSuffix(e.Name(), ".tpl") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "templates", e.Name()))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		files = append(files, file{"bench/templates/" + e.Name(), string(b)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	raw, err := os.ReadFile(filepath.Join(dir, "values.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var values map[string]interface{}
	if err := json.Unmarshal(raw, &values); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	data := map[string]interface{}{"Values": values}
	var executed []string
	for _, f := range files {
		if !strings.HasPrefix(filepath.Base(f.name), "_") {
			executed = append(executed, f.name)
		}
	}

	var parses, executes, totals, cpuParses, cpuExecutes, cpuTotals []float64
	bytes, lines := 0, 0
	for it := 0; it < iterations; it++ {
		runtime.GC() // garbage of the previous run is not this run's cost
		start, cpuStart := time.Now(), cpuSeconds()

		t := template.New("gotpl")
		funcs := sprig.TxtFuncMap()
		delete(funcs, "env")
		delete(funcs, "expandenv")
		included := map[string]int{}
		funcs["include"] = func(name string, data interface{}) (string, error) {
			var buf strings.Builder
			if included[name] > 1000 {
				return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
			}
			included[name]++
			err := t.ExecuteTemplate(&buf, name, data)
			included[name]--
			return buf.String(), err
		}
		t.Funcs(funcs).Option("missingkey=zero")
		for _, f := range files {
			if _, err := t.New(f.name).Parse(f.text); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		parsed, cpuParsed := time.Now(), cpuSeconds()

		bytes, lines = 0, 0
		for _, name := range executed {
			var buf strings.Builder
			if err := t.ExecuteTemplate(&buf, name, data); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			out := buf.String()
			bytes += len(out)
			lines += strings.Count(out, "\n")
		}
		done, cpuDone := time.Now(), cpuSeconds()

		parses = append(parses, parsed.Sub(start).Seconds())
		executes = append(executes, done.Sub(parsed).Seconds())
		totals = append(totals, done.Sub(start).Seconds())
		cpuParses = append(cpuParses, cpuParsed-cpuStart)
		cpuExecutes = append(cpuExecutes, cpuDone-cpuParsed)
		cpuTotals = append(cpuTotals, cpuDone-cpuStart)
	}
	min := func(xs []float64) float64 {
		m := xs[0]
		for _, x := range xs {
			if x < m {
				m = x
			}
		}
		return m
	}
	cpu := min(cpuTotals)
	fmt.Printf("templates=%d output_bytes=%d output_lines=%d wall: parse=%.4fs execute=%.4fs total=%.4fs cpu: parse=%.4fs execute=%.4fs total=%.4fs throughput=%.1f MB/s (cpu)\n",
		len(files), bytes, lines, min(parses), min(executes), min(totals), min(cpuParses), min(cpuExecutes), cpu, float64(bytes)/cpu/1e6)
}
