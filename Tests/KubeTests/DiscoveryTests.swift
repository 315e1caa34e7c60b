import Foundation
import Structured
import Testing
import TestSupport

@testable import Kube

@Suite struct DiscoveryTests {
    @Test func parsesResourceListSkippingSubresources() throws {
        let value = try WireJSON.decode(
            #"{"kind":"APIResourceList","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list"],"shortNames":["deploy"]},{"name":"deployments/scale","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get"]},{"name":"controllerrevisions","namespaced":true,"kind":"ControllerRevision","verbs":[]}]}"#)
        let list = try ResourceList(value, groupVersion: "apps/v1")
        #expect(list.resources.map(\.name) == ["deployments", "controllerrevisions"])
        let deployment = list.resources[0]
        #expect(deployment.group == "apps" && deployment.version == "v1" && deployment.namespaced)
        #expect(deployment.apiVersion == "apps/v1")
        #expect(deployment.qualifiedName == "deployments.apps")
        #expect(deployment.qualifiedKind == "Deployment.apps")
        #expect(deployment.shortNames == ["deploy"])
    }

    @Test func groupListPreferredVersions() throws {
        let core = try WireJSON.decode(#"{"kind":"APIVersions","versions":["v1"]}"#)
        let groups = try WireJSON.decode(
            #"{"kind":"APIGroupList","groups":[{"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}}]}"#)
        let list = GroupList(core: core, groups: groups)
        #expect(list.groups.map(\.name) == ["", "autoscaling"])
        #expect(list.groups[1].preferred == "v2")
        #expect(list.groups[1].versions == ["v2", "v1"])
    }

    @Test func splitsAPIVersions() {
        #expect(splitAPIVersion("apps/v1") == ("apps", "v1"))
        #expect(splitAPIVersion("v1") == ("", "v1"))
    }

    @Test func cacheLayoutAndTTL() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = DiscoveryCache(root: dir, server: "https://127.0.0.1:6443", ttl: .seconds(60))
        #expect(cache.directory == dir + "/127.0.0.1_6443")
        #expect(cache.resourcesPath(groupVersion: "apps/v1") == dir + "/127.0.0.1_6443/apps/v1/serverresources.json")
        #expect(cache.resourcesPath(groupVersion: "v1") == dir + "/127.0.0.1_6443/v1/serverresources.json")
        let path = cache.resourcesPath(groupVersion: "v1")
        cache.write(path, Array("{}".utf8))
        #expect(cache.read(path) == Array("{}".utf8))
        #expect(cache.read(path, now: Date().addingTimeInterval(61)) == nil)
        #expect(DiscoveryCache(root: dir, server: "https://[::1]:443/x", ttl: .seconds(1)).directory == dir + "/___1__443/x")
    }
}
