import Foundation
import GoTemplate

/// Helm's own functions: include, tpl, required, fail, lookup, getHostByName.
enum HelmOnlyFunctions {
    /// Helm wraps `required`/`fail` messages so its error reformatter can find them again.
    static let errorStart = "HELM_ERR_START"
    static let errorEnd = "HELM_ERR_END"
    static let maxIncludeDepth = 1000
    /// Helm parses `tpl` text under the engine's root template name, so its errors say `gotpl`.
    /// (The calling file's name would also be wrong: Go keeps a template's old body when a
    /// later definition is empty, so `tpl ""` would re-execute the calling file forever.)
    static let rootTemplateName = "gotpl"

    static func register(into r: inout FunctionRegistry, options: HelmFunctionOptions) {
        r.add("include", .exactly(2), keepingGoTypes: { a, context in
            let name = try a.string(0)
            return .string(try IncludeDepth.nest(name) {
                try context.executeTemplate(named: name, data: a[1])
            })
        })
        r.add("tpl", .exactly(2), keepingGoTypes: { a, context in
            let text = try a.string(0)
            let output: String
            do {
                output = try context.executeText(text, named: rootTemplateName, data: a[1])
            } catch let error as TemplateError where error.kind == .parse {
                throw TemplateFunctionError("cannot parse template \(GoText.quote(text)): \(error)")
            } catch {
                throw TemplateFunctionError("error during tpl function execution for \(GoText.quote(text)): \(error)")
            }
            return .string(output.replacingOccurrences(of: "<no value>", with: ""))
        })
        r.add("required", .exactly(2)) { a in
            let message = try a.string(0)
            switch a[1] {
            case .null, .missing: throw TemplateFunctionError(errorStart + message + errorEnd)
            case .string(let s) where s.isEmpty: throw TemplateFunctionError(errorStart + message + errorEnd)
            default: return a[1]
            }
        }
        r.add("fail", .exactly(1)) { a in
            throw TemplateFunctionError(errorStart + (try a.string(0)) + errorEnd)
        }
        let lookup = options.lookup
        r.add("lookup", .exactly(4)) { a in
            try lookup(try a.string(0), try a.string(1), try a.string(2), try a.string(3))
        }
        let dns = options.enableDNS
        r.add("getHostByName", .exactly(1)) { a in
            let name = try a.string(0)
            guard dns else { return .string("") }
            let addresses = resolve(name)
            guard let pick = addresses.randomElement() else {
                throw TemplateFunctionError("runtime error: invalid argument to Intn")
            }
            return .string(pick)
        }
    }

    /// net.LookupHost through the system resolver.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var out: [String] = []
        var node = result
        while let info = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !out.contains(text) { out.append(text) }
            }
            node = info.pointee.ai_next
        }
        return out
    }
}

/// Helm counts nested `include`s of each name per render and stops past 1000.
/// Rendering a template is synchronous, so the counts live with the rendering thread: a POSIX
/// thread-specific slot (Foundation's threadDictionary bridged a String key and cast on every
/// `include`, a visible share of rendering include-heavy charts).
enum IncludeDepth {
    final class Counts { var byName: [String: Int] = [:] }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Counts>.fromOpaque(pointer).release() }
        }
        return key
    }()

    static func nest<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let counts: Counts
        if let pointer = pthread_getspecific(key) {
            counts = Unmanaged<Counts>.fromOpaque(pointer).takeUnretainedValue()
        } else {
            counts = Counts()
            pthread_setspecific(key, Unmanaged.passRetained(counts).toOpaque())
        }
        let current = counts.byName[name] ?? 0
        if current > HelmOnlyFunctions.maxIncludeDepth {
            throw TemplateFunctionError("rendering template has a nested reference name: \(name): unable to execute template")
        }
        counts.byName[name] = current + 1
        defer { counts.byName[name, default: 1] -= 1 }
        return try body()
    }
}
