import RktError

extension ImageManifest {
    /// Throws `invalidArgument` listing every problem (see `problems()`), or returns if there are none.
    public func validate() throws {
        let found = problems()
        guard found.isEmpty else {
            throw RktError(.invalidArgument, "invalid image manifest: " + found.joined(separator: "; "))
        }
    }

    /// Every rule of the appc spec this manifest breaks, each naming the field and how to fix it.
    public func problems() -> [String] {
        var found: [String] = []
        if acKind != "ImageManifest" {
            found.append("acKind must be \"ImageManifest\" (got \"\(acKind)\")")
        }
        if acVersion.isEmpty {
            found.append("acVersion is missing; set it to the spec version, e.g. \"0.8.11\"")
        } else if !ACNames.isSemanticVersion(acVersion) {
            found.append("acVersion \"\(acVersion)\" is not a semantic version; use e.g. \"0.8.11\"")
        }
        if name.isEmpty {
            found.append("name is missing; set it to an AC Identifier such as \"example.com/app\"")
        } else if !ACNames.isIdentifier(name) {
            found.append("name \"\(name)\" is not an AC Identifier; \(Self.identifierHint), e.g. \"example.com/app\"")
        }

        found += labelProblems()
        found += app?.problems() ?? []
        found += dependencyProblems()
        for (index, path) in pathWhitelist.enumerated() where !path.hasPrefix("/") {
            found.append("pathWhitelist[\(index)] \"\(path)\" must be an absolute path")
        }
        found += Self.namedPairProblems(annotations, field: "annotations")
        return found
    }

    static let identifierHint = "use lower-case letters and digits separated by one of - . _ ~ /"

    static let validArchitectures: [String: [String]] = [
        "linux": ["amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x"],
        "freebsd": ["amd64", "i386", "arm"],
        "darwin": ["x86_64", "i386"],
    ]

    private func labelProblems() -> [String] {
        var found = Self.namedPairProblems(labels, field: "labels")
        for (index, item) in labels.enumerated() where item.name == "name" {
            found.append(
                "labels[\(index)] is named \"name\", which is reserved; put the image name in the top-level name field")
        }

        let os = label("os")
        let arch = label("arch")
        if let os, Self.validArchitectures[os] == nil {
            found.append("labels: os \"\(os)\" is not supported; use linux, freebsd or darwin")
        }
        if let arch {
            if os == nil {
                found.append("labels: arch \"\(arch)\" is set without an os label; add os (e.g. \"linux\")")
            } else if let os, let archs = Self.validArchitectures[os], !archs.contains(arch) {
                found.append(
                    "labels: arch \"\(arch)\" is not valid for os \"\(os)\"; use one of "
                        + archs.joined(separator: ", "))
            }
        }
        return found
    }

    private func dependencyProblems() -> [String] {
        var found: [String] = []
        for (index, dependency) in dependencies.enumerated() {
            let field = "dependencies[\(index)]"
            if !ACNames.isIdentifier(dependency.imageName) {
                found.append(
                    "\(field).imageName \"\(dependency.imageName)\" is not an AC Identifier; \(Self.identifierHint)")
            }
            if let id = dependency.imageID, ImageID.hexPart(id) == nil {
                found.append("\(field).imageID \"\(id)\" must be \"sha512-\" followed by lower-case hex digits")
            }
            found += Self.namedPairProblems(dependency.labels ?? [], field: "\(field).labels")
        }
        return found
    }

    /// Names must be AC Identifiers and unique (labels, annotations).
    static func namedPairProblems(_ pairs: [NameValue], field: String) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for (index, pair) in pairs.enumerated() {
            if !ACNames.isIdentifier(pair.name) {
                found.append("\(field)[\(index)].name \"\(pair.name)\" is not an AC Identifier; \(identifierHint)")
            }
            if !seen.insert(pair.name).inserted {
                found.append("\(field): \"\(pair.name)\" appears more than once; keep a single entry per name")
            }
        }
        return found
    }
}
