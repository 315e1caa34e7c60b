import GoTemplate

/// `urlParse` and `urlJoin` with Go net/url's parsing and printing rules.
enum URLFunctions {
    static func register(into r: inout FunctionRegistry) {
        r.add("urlParse", .exactly(1)) { a in
            let raw = try a.string(0)
            let u: GoURL
            do { u = try GoURL.parse(raw) } catch let error as GoURL.ParseError {
                throw TemplateFunctionError("unable to parse url: \(error.message)")
            }
            return .map([
                "scheme": .string(u.scheme), "host": .string(u.host), "hostname": .string(u.hostname),
                "path": .string(u.path), "query": .string(u.rawQuery), "opaque": .string(u.opaque),
                "fragment": .string(u.fragment), "userinfo": .string(u.userinfo ?? ""),
            ])
        }
        r.add("urlJoin", .exactly(1)) { a in
            let d = try a.map(0)
            func field(_ key: String) throws -> String {
                guard let v = d[key] else { return "" }
                guard case .string(let s) = v else {
                    if v.isNil { throw ListFunctions.nilType }
                    throw TemplateFunctionError("unable to parse \(key) key, must be of type string, but \(GoType.kind(of: v)) found")
                }
                return s
            }
            var u = GoURL()
            u.scheme = try field("scheme"); u.host = try field("host"); u.path = try field("path")
            u.rawQuery = try field("query"); u.opaque = try field("opaque"); u.fragment = try field("fragment")
            let info = try field("userinfo")
            if !info.isEmpty {
                do { u.userinfo = try GoURL.parse("proto://\(info)@host").userinfo } catch let error as GoURL.ParseError {
                    throw TemplateFunctionError("unable to parse userinfo in dict: \(error.message)")
                }
            }
            return .string(u.string)
        }
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
