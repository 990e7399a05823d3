import Network
import RktError
import Testing

@Suite("NetSelection.parse")
struct NetSelectionTests {
    private static let valid: [([String], NetSelection.Mode)] = [
        ([], .contained([NetRequest(name: "default")])),
        ([""], .contained([NetRequest(name: "default")])),
        (["default"], .contained([NetRequest(name: "default")])),
        (["host"], .host),
        (["none"], .none),
        (["all"], .contained([NetRequest(name: "all")])),
        (["a,b"], .contained([NetRequest(name: "a"), NetRequest(name: "b")])),
        (["a", "b"], .contained([NetRequest(name: "a"), NetRequest(name: "b")])),
        (["n1:IP=10.1.0.5;K=V"], .contained([NetRequest(name: "n1", args: "IP=10.1.0.5;K=V")])),
        (
            ["n1:IP=10.1.0.5,default"],
            .contained([NetRequest(name: "n1", args: "IP=10.1.0.5"), NetRequest(name: "default")])
        ),
        (["n1:"], .contained([NetRequest(name: "n1")])),
    ]

    @Test("valid flags", arguments: valid)
    func parsesValid(flags: [String], expected: NetSelection.Mode) throws {
        #expect(try NetSelection.parse(flags).mode == expected)
    }

    private static let invalid: [([String], String)] = [
        (["a,a"], "network \"a\" is given more than once"),
        (["a", "a:K=V"], "network \"a\" is given more than once"),
        (["", "default"], "network \"default\" is given more than once"),
        (["host,default"], "--net=host cannot be combined with other networks"),
        (["none", "a"], "--net=none cannot be combined with other networks"),
        (["host", "none"], "--net=host cannot be combined with other networks"),
        (["all,a"], "--net=all cannot be combined with other networks"),
        (["host:K=V"], "--net=host does not take arguments"),
        (["none:K=V"], "--net=none does not take arguments"),
        (["a,,b"], "empty network name in --net=a,,b"),
        ([":IP=10.1.0.5"], "empty network name in --net=:IP=10.1.0.5"),
    ]

    @Test("invalid flags", arguments: invalid)
    func rejectsInvalid(flags: [String], message: String) {
        #expect {
            try NetSelection.parse(flags)
        } throws: { error in
            let rkt = error as? RktError
            return rkt?.code == .invalidArgument && rkt?.message == message
        }
    }
}
