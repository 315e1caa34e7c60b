import Testing

@testable import Kube

@Suite struct APIRequestTests {
    @Test func resourcePaths() {
        #expect(ResourcePath.path(group: "", version: "v1", resource: "configmaps", namespace: "ns", name: "x")
            == "/api/v1/namespaces/ns/configmaps/x")
        #expect(ResourcePath.path(group: "apps", version: "v1", resource: "deployments", namespace: nil)
            == "/apis/apps/v1/deployments")
        #expect(ResourcePath.path(group: "", version: "v1", resource: "namespaces", namespace: nil, name: "prod")
            == "/api/v1/namespaces/prod")
        #expect(ResourcePath.path(group: "", version: "v1", resource: "pods", namespace: "a", name: "p", subresource: "log")
            == "/api/v1/namespaces/a/pods/p/log")
        #expect(ResourcePath.path(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespace: nil, name: "system:admin")
            == "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:admin")
        #expect(ResourcePath.path(group: "", version: "v1", resource: "secrets", namespace: "n", name: "a/b c")
            == "/api/v1/namespaces/n/secrets/a%2Fb%20c")
    }

    @Test func queryEncoding() {
        var request = APIRequest(method: "GET", path: "/api/v1/pods")
        request.query = [("labelSelector", "app in (web,api),tier!=db"), ("fieldSelector", "involvedObject.uid=1"), ("limit", "500")]
        #expect(request.pathAndQuery
            == "/api/v1/pods?labelSelector=app%20in%20%28web%2Capi%29%2Ctier%21%3Ddb&fieldSelector=involvedObject.uid%3D1&limit=500")
        #expect(APIRequest(method: "GET", path: "/api").pathAndQuery == "/api")
    }

    @Test func urlParts() {
        let u = URLParts("https://[::1]:6443/base/")
        #expect(u?.host == "::1" && u?.port == 6443 && u?.path == "/base" && u?.urlHost == "[::1]")
        #expect(URLParts("http://k")?.port == 80)
        #expect(URLParts("https://user:pw@proxy.local:3128")?.host == "proxy.local")
        #expect(URLParts("k.example:443") == nil)
        #expect(URLParts("https://k:99999") == nil)
    }
}
