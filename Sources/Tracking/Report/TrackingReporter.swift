/// Turns `TrackingEvent`s into what the user reads: log and event lines at once, a status table every
/// `refreshInterval` (redrawn in place on a terminal), and a final summary; or JSON lines.
///
/// Output goes to an injected `ReportSink` and time comes from an injected `ReportClock`, so tests
/// capture exact text.
public actor TrackingReporter {
    public let options: ReporterOptions
    private let sink: any ReportSink
    private let clock: any ReportClock
    private let palette: Palette
    private let origin: Double

    private var order: [ResourceID] = []
    private var states: [ResourceID: ResourceState] = [:]
    private var firstSeen: [ResourceID: Double] = [:]
    private var decidedAt: [ResourceID: Double] = [:]
    private var outcomes: [ResourceID: ResourceOutcome] = [:]
    private var tails: [ResourceID: [LogTail]] = [:]
    /// Ready at the previous refresh: not shown again.
    private var shownReady: Set<ResourceID> = []
    /// Lines of the table now on screen (terminal redraw).
    private var tableLines = 0
    private var result: TrackingResult?
    /// Resources whose ready/failed line was printed.
    private var announced: Set<ResourceID> = []

    public init(options: ReporterOptions = ReporterOptions(), sink: any ReportSink, clock: any ReportClock = SystemReportClock()) {
        self.options = options
        self.sink = sink
        self.clock = clock
        self.palette = Palette(enabled: options.color)
        self.origin = clock.now()
    }

    private var now: Double { clock.now() - origin }

    // MARK: Input

    public func handle(_ event: TrackingEvent) {
        if options.format == .json {
            remember(event)
            return write(JSONLines.line(event, time: now))
        }
        remember(event)
        switch event {
        case .state(let id, let state):
            guard state.phase != .progressing, announced.insert(id).inserted else { return }
            if state.phase == .ready {
                let what: String
                switch state.goal {
                case .absent: what = "is gone"
                case .completed: what = "completed"
                case .present: what = "exists"
                case .ready: what = "is ready"
                }
                print(palette.green("\(id.short) \(what)") + " (\(TextFit.seconds(duration(id))))")
            } else {
                let first = state.errors.last.map { ": " + $0.description } ?? ""
                print(palette.red(TextFit.truncate("\(id.short) failed\(first)", options.width)))
            }
        case .log(_, let line):
            print(palette.cyan(line.prefix) + " " + line.text)
        case .event(let id, let e):
            let text = TextFit.truncate("\(id.short) event: \(e.text)", options.width)
            print(e.isWarning ? palette.yellow(text) : palette.dim(text))
        case .notice(_, let notice):
            let text = TextFit.truncate(notice.text, options.width)
            print(notice.level == .error ? palette.red(text) : notice.level == .warning ? palette.yellow(text) : text)
        case .failureLogs:
            break
        case .result:
            if options.summaryOnResult { finish() }
        case .finished:
            break
        }
    }

    private func remember(_ event: TrackingEvent) {
        let t = now
        switch event {
        case .state(let id, let state):
            if firstSeen[id] == nil {
                firstSeen[id] = t
                order.append(id)
            }
            states[id] = state
            if state.phase != .progressing, decidedAt[id] == nil { decidedAt[id] = t }
        case .failureLogs(let id, let tail):
            tails[id, default: []].append(tail)
        case .result(let r):
            result = r
            for o in r.outcomes {
                outcomes[o.id] = o
                if firstSeen[o.id] == nil {
                    firstSeen[o.id] = t
                    order.append(o.id)
                }
                if decidedAt[o.id] == nil, o.kind != .canceled { decidedAt[o.id] = t }
            }
        default:
            break
        }
    }

    private func duration(_ id: ResourceID) -> Double {
        (decidedAt[id] ?? now) - (firstSeen[id] ?? now)
    }

    /// A line of the caller's own (deploy stages, writes) printed above the table, like log lines.
    public func note(_ line: String) { print(line) }

    // MARK: Table

    /// Draw the table once (what `refreshPeriodically` does every interval). JSON mode prints nothing.
    public func refresh() { refresh(final: false) }

    /// The final table and the summary of every resource seen so far (all sessions). JSON mode has
    /// had its `summary` line per session already.
    public func finish() {
        guard options.format == .table else {
            // A caller that tracked without sessions' `.result` (the deploy executor) still gets one.
            if result == nil, !order.isEmpty {
                let outcomes = order.compactMap { id in
                    verdict(id).map { ResourceOutcome(id: id, kind: $0.kind, reasons: $0.reasons, failsDeploy: $0.failsDeploy, seconds: duration(id)) }
                }
                write(JSONLines.line(.result(TrackingResult(outcomes: outcomes)), time: now))
            }
            return
        }
        refresh(final: true)
        print(summary())
    }

    private func refresh(final: Bool) {
        guard options.format == .table else { return }
        let rows = order.compactMap { id -> ProgressRow? in
            if !final, shownReady.contains(id) { return nil }
            return ProgressRow(id: id, state: states[id], outcome: outcomes[id], elapsed: duration(id))
        }
        for id in order where states[id]?.phase == .ready { shownReady.insert(id) }
        guard !order.isEmpty else { return }
        var lines = [palette.bold(TextFit.truncate(progressLine(final: final), options.width))]
        lines += ProgressTable.render(rows, width: options.width, palette: palette)
        if options.isTerminal && !final {
            erase()
            sink.write(lines.joined(separator: "\n") + "\n")
            tableLines = lines.count
        } else {
            erase()
            sink.write(lines.joined(separator: "\n") + "\n\n")
        }
    }

    /// `Status progress (1m5s): 3/5 ready, 1 failed, 1 waiting`.
    private func progressLine(final: Bool) -> String {
        let ready = order.filter { states[$0]?.phase == .ready }.count
        let failed = order.filter { states[$0]?.phase == .failed }.count
        let waiting = order.count - ready - failed
        var text = "\(final ? "Final status" : "Status progress") (\(TextFit.seconds(now))): \(ready)/\(order.count) ready"
        if failed > 0 { text += ", \(failed) failed" }
        if waiting > 0 && !final { text += ", \(waiting) waiting" }
        return text
    }

    /// Take the live table off the screen before other output (cursor up, clear to the end).
    private func erase() {
        guard tableLines > 0 else { return }
        sink.write("\u{1B}[\(tableLines)A\r\u{1B}[J")
        tableLines = 0
    }

    private func print(_ line: String) {
        erase()
        sink.write(line + "\n")
    }

    private func write(_ line: String) { sink.write(line + "\n") }

    // MARK: Summary

    /// What became ready and how long it took; what failed and why, with its last log lines.
    func summary() -> String {
        let ids = order
        let ready = ids.filter { [.ready, .absent].contains(verdict($0)?.kind) }
        let failed = ids.filter { verdict($0)?.kind == .failed }
        let canceled = ids.filter { verdict($0)?.kind == .canceled }
        var head = "Summary: \(ready.count) ready"
        if !failed.isEmpty { head += ", \(failed.count) failed" }
        if !canceled.isEmpty { head += ", \(canceled.count) canceled" }
        if result?.timedOut == true { head += " (timed out)" }
        var lines = [palette.bold(head)]
        let nameWidth = min(max(ids.map(\.short.count).max() ?? 0, 10), max(10, options.width - 24))
        for id in ids {
            guard let outcome = verdict(id) else { continue }
            let word: String
            switch outcome.kind {
            case .ready: word = states[id]?.goal == .completed ? "DONE" : "READY"
            case .absent: word = "ABSENT"
            case .failed: word = outcome.failsDeploy ? "FAILED" : "IGNORED"
            case .canceled: word = "CANCELED"
            }
            var text = "  " + TextFit.pad(word, 8) + "  " + TextFit.elide(id.short, nameWidth)
            if outcome.kind != .canceled { text = TextFit.pad(text, nameWidth + 12) + "  " + TextFit.seconds(duration(id)) }
            let colour: ResourceState.Phase? = outcome.kind == .failed ? .failed : outcome.kind == .canceled ? nil : .ready
            lines.append(palette.phase(TextFit.truncate(text, options.width), colour))
            if outcome.kind == .failed || outcome.kind == .canceled {
                var unique: [String] = []
                for reason in outcome.reasons where !unique.contains(reason) { unique.append(reason) }
                for reason in unique.suffix(3) {
                    lines.append(palette.red(TextFit.truncate("      " + reason, options.width)))
                }
            }
            for tail in tails[id] ?? [] {
                lines.append(TextFit.truncate("      last lines of po/\(tail.pod) container/\(tail.container):", options.width))
                for line in tail.lines {
                    lines.append(TextFit.truncate("        " + "[pod/\(tail.pod)/\(tail.container)] " + line, options.width))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The session's outcome for `id`, else what its last state decided: a caller that drives
    /// tracking itself (the deploy executor, one track per resource) may send states and no `.result`.
    private func verdict(_ id: ResourceID) -> (kind: ResourceOutcome.Kind, failsDeploy: Bool, reasons: [String])? {
        if let outcome = outcomes[id] { return (outcome.kind, outcome.failsDeploy, outcome.reasons) }
        guard let state = states[id] else { return nil }
        switch state.phase {
        case .ready: return (state.goal == .absent ? .absent : .ready, false, [])
        case .failed: return (.failed, true, state.errors.map(\.description))
        case .progressing: return nil
        }
    }

    // MARK: Driving

    /// Refresh every `refreshInterval` until cancelled.
    public func refreshPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(options.refreshInterval)) } catch { return }
            refresh()
        }
    }

    /// Run `session` on `requests`, reporting every event and refreshing the table meanwhile.
    public func track(_ requests: [TrackingRequest], with session: TrackingSession) async throws -> TrackingResult {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.refreshPeriodically() }
            defer { group.cancelAll() }
            return try await session.run(requests) { event in await self.handle(event) }
        }
    }
}
