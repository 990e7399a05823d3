import Testing

extension IntegrationTests {
    /// The `rkt-driver` front end's own words: help, and usage errors with exit code 2.
    @Suite("rkt-driver command line")
    struct CommandLine {
        @Test("help prints the usage of every command on stdout and exits 0", arguments: ["--help", "-h", "help"])
        func help(word: String) throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let output = try sandbox.run(Prerequisites.driver, [word])
            #expect(output.code == 0, "\(output)")
            #expect(output.stdout.hasPrefix("usage: rkt-driver [--config FILE]"), "\(output)")
            for usage in ["run [--detach] JOBFILE", "exec TASK -- CMD [ARGS...]", "plugin"] {
                #expect(output.stdout.contains("\n  \(usage)"), "usage of \(usage) missing: \(output)")
            }
        }

        @Test(
            "usage errors name the word and exit 2",
            arguments: [
                (
                    ["--volumes-enabled", "yes", "validate", "job.json"],
                    "--volumes-enabled: \"yes\" is not true or false"
                ),
                (["--log-level", "loud", "gc"], "--log-level: \"loud\" is not one of"),
                (["--data-dir"], "--data-dir needs a value"),
                (["--colour", "red", "gc"], "unknown option --colour"),
                (["launch"], "unknown command \"launch\""),
                ([], "missing command"),
            ])
        func usageErrors(arguments: [String], message: String) throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let output = try sandbox.run(Prerequisites.driver, arguments)
            #expect(output.code == 2, "\(output)")
            #expect(output.errorLines.first?.hasPrefix("rkt-driver: \(message)") == true, "\(output)")
            #expect(output.stdout.isEmpty, "\(output)")
        }
    }
}
