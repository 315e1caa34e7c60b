import Foundation
import TestSupport

/// A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI.
struct TestCertificates {
    let caCertificate: String
    let serverCertificate: String
    let serverKey: String

    init(in directory: String) throws {
        caCertificate = directory + "/ca.pem"
        serverCertificate = directory + "/server.pem"
        serverKey = directory + "/server-key.pem"
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/ca-key.pem", "-out", caCertificate,
             "-days", "2", "-subj", "/CN=bosun-test-ca"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", directory + "/server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", directory + "/server.csr", "-CA", caCertificate, "-CAkey", directory + "/ca-key.pem",
             "-CAcreateserial", "-out", serverCertificate, "-days", "2", "-extfile", directory + "/ext.cnf"],
        ]
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/ext.cnf", atomically: true, encoding: .utf8)
        for step in steps {
            let result = try runProcess("/usr/bin/env", ["openssl"] + step)
            guard result.succeeded else { throw HelmSandbox.HelmFailed(arguments: ["openssl"] + step, stderr: result.stderr) }
        }
    }
}
