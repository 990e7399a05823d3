import Foundation
import PodRuntime
import RktSys
import Testing

/// The app object of `rkt status --format=json`: `oom_killed` appears only when true.
struct PodStatusOOMTests {
    static let app = #"{"name":"shell","state":"exited","exit_code":137,"image_id":"sha512-00"}"#

    @Test
    func absentWhenNotKilled() throws {
        let app = try JSON.decode(PodStatus.App.self, from: Array(Self.app.utf8))
        #expect(app.oomKilled == nil)
        let text = try JSON.encodeString(app)
        #expect(!text.contains("oom_killed"), "\(text)")
    }

    @Test
    func presentWhenKilled() throws {
        let json = Self.app.replacingOccurrences(of: "}", with: #","oom_killed":true}"#)
        var app = try JSON.decode(PodStatus.App.self, from: Array(json.utf8))
        #expect(app.oomKilled == true)
        #expect(try JSON.encodeString(app).contains(#""oom_killed":true"#))
        app.oomKilled = nil
        #expect(try !JSON.encodeString(app).contains("oom_killed"))
    }
}
