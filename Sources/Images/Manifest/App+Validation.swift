extension App {
    static let nameHint = "use lower-case letters and digits separated by single \"-\""

    /// Problems in the app section, each naming the field (prefixed "app.") and the fix.
    func problems() -> [String] {
        var found: [String] = []
        if user.isEmpty {
            found.append("app.user is missing; set a user name, a numeric uid or an absolute path in the image")
        }
        if group.isEmpty {
            found.append("app.group is missing; set a group name, a numeric gid or an absolute path in the image")
        }
        found += execProblems(exec, field: "app.exec")
        if !workingDirectory.isEmpty && !workingDirectory.hasPrefix("/") {
            found.append("app.workingDirectory \"\(workingDirectory)\" must be an absolute path")
        }
        found += eventHandlerProblems()
        for (index, variable) in environment.enumerated() where !ACNames.isEnvironmentName(variable.name) {
            found.append(
                "app.environment[\(index)].name \"\(variable.name)\" is not a valid variable name; use letters, "
                    + "digits and \"_\" (also \".\" and \"-\"), not starting with a digit")
        }
        for (index, isolator) in isolators.enumerated() where !ACNames.isIdentifier(isolator.name) {
            found.append(
                "app.isolators[\(index)].name \"\(isolator.name)\" is not an AC Identifier; "
                    + ImageManifest.identifierHint)
        }
        found += mountPointProblems()
        found += portProblems()
        return found
    }

    private func execProblems(_ argv: [String], field: String) -> [String] {
        guard let program = argv.first else {
            return []
        }
        if program.isEmpty {
            return ["\(field)[0] is empty; give the program as an absolute path or a bare command name"]
        }
        if program.contains("/") && !program.hasPrefix("/") {
            return ["\(field)[0] \"\(program)\" must be an absolute path or a bare command name (looked up in PATH)"]
        }
        return []
    }

    private func eventHandlerProblems() -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for (index, handler) in eventHandlers.enumerated() {
            let field = "app.eventHandlers[\(index)]"
            if handler.name != "pre-start" && handler.name != "post-stop" {
                found.append("\(field).name \"\(handler.name)\" is not supported; use \"pre-start\" or \"post-stop\"")
            } else if !seen.insert(handler.name).inserted {
                found.append("app.eventHandlers: \"\(handler.name)\" is defined more than once; keep one")
            }
            if handler.exec.isEmpty {
                found.append("\(field).exec is empty; give the command to run")
            }
            found += execProblems(handler.exec, field: "\(field).exec")
        }
        return found
    }

    private func mountPointProblems() -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for (index, mount) in mountPoints.enumerated() {
            let field = "app.mountPoints[\(index)]"
            if !ACNames.isName(mount.name) {
                found.append("\(field).name \"\(mount.name)\" is not an AC Name; \(Self.nameHint)")
            } else if !seen.insert(mount.name).inserted {
                found.append("app.mountPoints: \"\(mount.name)\" is declared more than once; names must be unique")
            }
            if !mount.path.hasPrefix("/") {
                found.append("\(field).path \"\(mount.path)\" must be an absolute path")
            }
        }
        return found
    }

    private func portProblems() -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for (index, port) in ports.enumerated() {
            let field = "app.ports[\(index)]"
            if !ACNames.isName(port.name) {
                found.append("\(field).name \"\(port.name)\" is not an AC Name; \(Self.nameHint)")
            } else if !seen.insert(port.name).inserted {
                found.append("app.ports: \"\(port.name)\" is declared more than once; port names must be unique")
            }
            if port.protocol.isEmpty {
                found.append("\(field).protocol is missing; use e.g. \"tcp\" or \"udp\"")
            }
            if !(1...65535).contains(port.port) {
                found.append("\(field).port \(port.port) is out of range; use 1-65535")
            } else if port.count < 1 {
                found.append("\(field).count \(port.count) must be at least 1")
            } else if port.port + port.count > 65536 {
                found.append("\(field): port \(port.port) + count \(port.count) goes past 65535; lower the count")
            }
        }
        return found
    }
}
