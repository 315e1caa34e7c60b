import NIOHTTP1
import Structured
import Testing

@testable import Kube

@Suite struct APIStatusTests {
    func transport() throws -> HTTPTransport {
        try HTTPTransport(
            connection: ClusterConnection(server: "https://127.0.0.1:6443", contextName: "dev", userName: "alice"),
            options: TransportOptions())
    }

    func error(_ code: Int, _ body: String, contentType: String = "application/json", method: String = "GET", resource: String = "",
        group: String = "", name: String = "") throws -> KubeError
    {
        let t = try transport()
        defer { Task { await t.shutdown() } }
        var request = APIRequest(method: method, path: "/x")
        request.resource = resource
        request.group = group
        request.name = name
        return t.apiError(
            code: code, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(body.utf8), request: request)
    }

    @Test func statusMessagesPrintLikeKubectl() throws {
        let invalid = try error(
            422,
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"web","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}"#
        )
        #expect(invalid.description == "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0")
        #expect(invalid.isInvalid && invalid.code == 422 && invalid.reason == "Invalid")
        #expect(invalid.status?.causes.first?.field == "spec.replicas")
        #expect(invalid.kubectlLine == "Error from server (Invalid): " + invalid.description)

        let notFound = try error(
            404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"#)
        #expect(notFound.description == "configmaps \"x\" not found")
        #expect(notFound.isNotFound && !notFound.isConflict)
        #expect(notFound.kubectlLine == "Error from server (NotFound): configmaps \"x\" not found")

        let exists = try error(
            409, #"{"kind":"Status","status":"Failure","message":"configmaps \"x\" already exists","reason":"AlreadyExists","code":409}"#)
        #expect(exists.isAlreadyExists && !exists.isConflict)

        let conflict = try error(
            409,
            #"{"kind":"Status","status":"Failure","message":"Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","code":409}"#
        )
        #expect(conflict.isConflict)
        #expect(conflict.description.hasPrefix("Operation cannot be fulfilled on configmaps \"x\""))

        let gone = try error(410, #"{"kind":"Status","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}"#)
        #expect(gone.isGone)
    }

    @Test func responsesWithoutStatusGetClientGoMessages() throws {
        #expect(try error(404, "404 page not found", contentType: "text/plain", resource: "widgets", group: "example.com", name: "w").description
            == "the server could not find the requested resource (get widgets.example.com w)")
        let conflict = try error(409, "", contentType: "text/plain", method: "POST", resource: "configmaps")
        #expect(conflict.reason == "AlreadyExists")
        #expect(conflict.description == "the server reported a conflict (post configmaps)")
        #expect(try error(500, "boom\n", contentType: "text/plain").description
            == "an error on the server (\"boom\") has prevented the request from succeeding")
        #expect(try error(502, "<html>", contentType: "application/octet-stream").description
            == "an error on the server (\"unknown\") has prevented the request from succeeding")
        #expect(try error(503, "", contentType: "text/plain").description == "the server is currently unable to handle the request")
        let limited = try error(429, "slow down", contentType: "text/plain")
        #expect(limited.isTooManyRequests)
    }

    @Test func unauthorizedNamesUserAndContext() throws {
        let e = try error(401, #"{"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
        #expect(e.description == "Unauthorized: the server rejected the credentials of user \"alice\" (context \"dev\")")
        #expect(e.isUnauthorized)
    }

    @Test func decodesStatusFields() {
        let value: Value = [
            "kind": "Status", "status": "Failure", "message": "m", "reason": "ServerTimeout", "code": 500,
            "details": ["retryAfterSeconds": 3, "uid": "u1"],
        ]
        let status = APIStatus(value)
        #expect(status?.retryAfterSeconds == 3)
        #expect(status?.uid == "u1")
        #expect(APIStatus(["kind": "ConfigMap"]) == nil)
    }
}
