import FoundationEssentials
import JSONCore

/// Decodes the JSON printed by `nomad job run -output` (`{"Job": {...}}`, or the bare job object)
/// into a `Job`, strictly: unknown fields and wrong types are all reported, each with its path.
///
/// Decoding only checks shapes and types; `JobValidator` checks meaning.
public enum JobDecoder {
    /// Decodes a job from JSON text. `source` names the input (a file name) in parse errors.
    public static func decode(_ text: String, source: String = "job") throws(SpecError) -> Job {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw SpecError([SpecIssue("failed to parse \(source): \(error)")])
        }
        return try decode(document)
    }

    /// Decodes, then validates. Shape problems are reported first; once the shape is right, every
    /// validation problem is reported together.
    public static func load(_ text: String, source: String = "job") throws(SpecError) -> Job {
        let job = try decode(text, source: source)
        try JobValidator.validate(job)
        return job
    }

    /// Reads and decodes a job file.
    public static func decode(fileAt path: String) throws(SpecError) -> Job {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError([SpecIssue("failed to read job file \"\(path)\"")])
        }
        return try decode(String(decoding: data, as: UTF8.self), source: "\"\(path)\"")
    }

    /// Decodes an already parsed document.
    public static func decode(_ document: JSONValue) throws(SpecError) -> Job {
        guard var members = document.objectValue else {
            throw SpecError([SpecIssue("job JSON must be an object")])
        }
        if members.count == 1, let inner = members["Job"] {
            guard let innerMembers = inner.objectValue else {
                throw SpecError([SpecIssue(path: ["Job"], "must be an object")])
            }
            members = innerMembers
        }
        var reader = ObjectReader(members, path: [])
        let job = decodeJob(&reader)
        guard reader.issues.isEmpty else {
            throw SpecError(reader.issues)
        }
        return job
    }

    static func decodeJob(_ reader: inout ObjectReader) -> Job {
        reader.rejectUnknown(allowed: JobFields.job.union(JobFields.jobAccepted))
        let id = reader.string("ID") ?? ""
        var job = Job(id: id, name: reader.string("Name") ?? id)
        job.type = reader.string("Type") ?? job.type
        job.region = reader.string("Region") ?? job.region
        job.namespace = reader.string("Namespace") ?? job.namespace
        job.datacenters = reader.strings("Datacenters") ?? []
        job.meta = reader.stringMap("Meta") ?? [:]
        for (index, fields) in reader.objects("TaskGroups") {
            let name = fields["Name"]?.stringValue ?? ""
            var groupReader = ObjectReader(fields, path: reader.path + [SpecPath.group(name, index: index)])
            job.taskGroups.append(decodeGroup(&groupReader))
            reader.absorb(groupReader.issues)
        }
        return job
    }

    static func decodeGroup(_ reader: inout ObjectReader) -> TaskGroup {
        reader.rejectUnknown(allowed: JobFields.group.union(JobFields.groupAccepted))
        var group = TaskGroup(name: reader.string("Name") ?? "")
        group.count = reader.int("Count") ?? 1
        group.meta = reader.stringMap("Meta") ?? [:]
        for (index, fields) in reader.objects("Tasks") {
            let name = fields["Name"]?.stringValue ?? ""
            var taskReader = ObjectReader(fields, path: reader.path + [SpecPath.task(name, index: index)])
            group.tasks.append(decodeTask(&taskReader))
            reader.absorb(taskReader.issues)
        }
        return group
    }
}
