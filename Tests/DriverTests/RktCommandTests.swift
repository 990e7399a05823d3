import Driver
import RktError
import TaskModel
import Testing

@Suite struct RktCommandTests {
    typealias F = RktCommandFixtures

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let input: RktCommandInput
        let prepare: [String]
        let run: [String]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "defaults: insecure all, --debug=false, sorted env, isolators", input: F.input(),
            prepare: F.prepare(), run: F.run()),
        Row(
            name: "command", input: F.input { $0.config.command = "/usr/local/bin/redis-server" },
            prepare: F.prepare(afterImage: ["--exec=/usr/local/bin/redis-server"]), run: F.run()),
        Row(
            name: "args are interpolated after --",
            input: F.input { $0.config.args = ["--port", "${NOMAD_PORT_db}", "${x}"] },
            prepare: F.prepare(tail: ["--", "--port", "6379", "${x}"]), run: F.run()),
        Row(name: "empty args: no --", input: F.input { $0.config.args = [] }, prepare: F.prepare(), run: F.run()),
        Row(
            name: "trust_prefix drops the implicit all", input: F.input { $0.config.trustPrefix = "coreos.com/etcd" },
            prepare: F.prepare(global: ["--debug=false"]), run: F.run(global: ["--debug=false"])),
        Row(
            name: "insecure_options replaces all",
            input: F.input { $0.config.insecureOptions = ["image", "tls", "ondisk"] },
            prepare: F.prepare(global: ["--insecure-options=image,tls,ondisk", "--debug=false"]),
            run: F.run(global: ["--insecure-options=image,tls,ondisk", "--debug=false"])),
        Row(
            name: "insecure_options wins over trust_prefix",
            input: F.input {
                $0.config.insecureOptions = ["none"]
                $0.config.trustPrefix = "example.com"
            },
            prepare: F.prepare(global: ["--insecure-options=none", "--debug=false"]),
            run: F.run(global: ["--insecure-options=none", "--debug=false"])),
        Row(
            name: "debug", input: F.input { $0.config.debug = true },
            prepare: F.prepare(global: ["--insecure-options=all", "--debug=true"]),
            run: F.run(global: ["--insecure-options=all", "--debug=true"])),
        Row(
            name: "no_overlay", input: F.input { $0.config.noOverlay = true },
            prepare: F.prepare(afterPrepare: ["--no-overlay=true"]), run: F.run()),
        Row(
            name: "volumes read-write and readOnly, named by index",
            input: F.input { $0.config.volumes = ["/srv/data:/data", "/etc/ssl/certs:/etc/ssl/certs:readOnly"] },
            prepare: F.prepare(volumes: [
                "--volume=a1b2c3-redis-cache-0,kind=host,source=/srv/data,readOnly=false",
                "--mount=volume=a1b2c3-redis-cache-0,target=/data",
                "--volume=a1b2c3-redis-cache-1,kind=host,source=/etc/ssl/certs,readOnly=true",
                "--mount=volume=a1b2c3-redis-cache-1,target=/etc/ssl/certs",
            ]), run: F.run()),
        Row(
            name: "dns ips (v4 and v6)", input: F.input { $0.config.dnsServers = ["8.8.8.8", "2001:4860:4860::8888"] },
            prepare: F.prepare(), run: F.run(["--dns=8.8.8.8", "--dns=2001:4860:4860::8888"])),
        Row(
            name: "dns host", input: F.input { $0.config.dnsServers = ["host"] }, prepare: F.prepare(),
            run: F.run(["--dns=host"])),
        Row(
            name: "dns none", input: F.input { $0.config.dnsServers = ["none"] }, prepare: F.prepare(),
            run: F.run(["--dns=none"])),
        Row(
            name: "dns search domains", input: F.input { $0.config.dnsSearchDomains = ["a.example", "b.example"] },
            prepare: F.prepare(), run: F.run(["--dns-search=a.example", "--dns-search=b.example"])),
        Row(
            name: "net joined", input: F.input { $0.config.net = ["default", "backend"] }, prepare: F.prepare(),
            run: F.run(["--net=default,backend"])),
        Row(
            name: "ports: reserved before dynamic",
            input: F.input {
                F.withPorts(&$0)
                $0.config.portMap = ["db": "6379-tcp", "admin": "80-tcp", "unused": "1-tcp"]
            },
            prepare: F.prepare(tail: ["--port=80-tcp:8080", "--port=6379-tcp:23456"]), run: F.run()),
        Row(
            name: "net host skips ports even with port_map",
            input: F.input {
                F.withPorts(&$0)
                $0.config.net = ["host"]
                $0.config.portMap = ["db": "6379-tcp"]
            },
            prepare: F.prepare(), run: F.run(["--net=host"])),
        Row(
            name: "user and group after ports",
            input: F.input {
                F.withPorts(&$0)
                $0.task.user = "nobody"
                $0.config.group = "nogroup"
                $0.config.portMap = ["db": "6379-tcp", "admin": "80-tcp"]
                $0.config.args = ["-v"]
            },
            prepare: F.prepare(tail: [
                "--port=80-tcp:8080", "--port=6379-tcp:23456", "--user=nobody", "--group=nogroup", "--", "-v",
            ]), run: F.run()),
    ]

    @Test(arguments: rows)
    func buildsArgv(row: Row) throws {
        let command = try RktCommand.build(row.input)
        #expect(command.prepare == row.prepare)
        #expect(command.runPrepared == row.run)
        #expect(command.warnings.isEmpty)
    }

    @Test func unknownVolumeModeWarnsAndMountsReadWrite() throws {
        let command = try RktCommand.build(F.input { $0.config.volumes = ["/a:/b:ro"] })
        #expect(command.prepare.contains("--volume=a1b2c3-redis-cache-0,kind=host,source=/a,readOnly=false"))
        #expect(command.warnings == [#"unknown rkt volume mode "ro" in "/a:/b:ro"; mounting it read-write"#])
    }

    @Test(arguments: [
        (
            F.input {
                $0.options.volumesEnabled = false
                $0.config.volumes = ["/a:/b", "/c:/d:readOnly"]
            },
            #"volumes_enabled is false; cannot use rkt volumes: ["/a:/b" "/c:/d:readOnly"]"#
        ),
        (F.input { $0.config.volumes = ["/only"] }, #"invalid rkt volume: "/only""#),
        (F.input { $0.config.volumes = ["/a:/b:readOnly:x"] }, #"invalid rkt volume: "/a:/b:readOnly:x""#),
        (
            F.input { $0.config.dnsServers = ["host", "8.8.8.8"] },
            #"invalid ip address for container dns server "host""#
        ),
        (
            F.input { $0.config.dnsServers = ["8.8.8.8", "none"] },
            #"invalid ip address for container dns server "none""#
        ),
        (F.input { $0.config.dnsServers = ["8.8.8"] }, #"invalid ip address for container dns server "8.8.8""#),
        (
            F.input {
                F.withPorts(&$0)
                $0.config.portMap = ["admin": "80-tcp"]
            },
            "port_map is not set. When you defined port in the resources, you need to configure port_map."
        ),
        (
            F.input { F.withPorts(&$0) },
            "port_map is not set. When you defined port in the resources, you need to configure port_map."
        ),
        (
            F.input { $0.config.portMap = ["db": "6379-tcp"] },
            "Trying to map ports but no network interface is available"
        ),
        (
            F.input {
                $0.config.portMap = ["db": "6379-tcp"]
                $0.config.net = ["host"]
            },
            "Trying to map ports but no network interface is available"
        ),
        (
            F.input {
                $0.config.volumes = ["bad"]
                $0.config.dnsServers = ["bad"]
            },
            #"invalid rkt volume: "bad""#
        ),
        (
            F.input {
                F.withPorts(&$0)
                $0.config.dnsServers = ["bad"]
            },
            #"invalid ip address for container dns server "bad""#
        ),
    ])
    func failsWithUpstreamMessageInUpstreamOrder(input: RktCommandInput, message: String) {
        do {
            let command = try RktCommand.build(input)
            Issue.record("expected an error, got \(command)")
        } catch {
            #expect(error.message == message)
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func trustArguments() {
        #expect(
            RktCommand.trustArguments(prefix: "coreos.com/etcd", debug: false) == [
                "trust", "--skip-fingerprint-review=true", "--prefix=coreos.com/etcd", "--debug=false",
            ])
    }

    @Test(arguments: [
        ("redis_cache", "0", "a1-redis-cache-0"), ("web", "alloc", "a1-web-alloc"),
        ("a__b", "secrets", "a1-a--b-secrets"),
    ])
    func volumeNames(task: String, suffix: String, expected: String) {
        #expect(RktCommand.volumeName(allocID: "a1", task: task, suffix: suffix) == expected)
    }

    @Test func everythingAtOnceKeepsPositions() throws {
        let input = F.input {
            F.withPorts(&$0)
            $0.task.user = "nobody"
            $0.config = RktTaskConfig(
                image: F.image, command: "/bin/redis", args: ["${NOMAD_PORT_db}"], trustPrefix: "example.com",
                insecureOptions: ["image"], dnsServers: ["1.1.1.1"], dnsSearchDomains: ["svc"], net: ["default"],
                portMap: ["db": "6379-tcp", "admin": "80-tcp"], volumes: ["/d:/d"], noOverlay: true, debug: true,
                group: "nogroup")
        }
        let command = try RktCommand.build(input)
        let global = ["--insecure-options=image", "--debug=true"]
        #expect(
            command.prepare
                == global + ["prepare", "--no-overlay=true"] + F.mounts + [
                    "--volume=a1b2c3-redis-cache-0,kind=host,source=/d,readOnly=false",
                    "--mount=volume=a1b2c3-redis-cache-0,target=/d",
                ] + F.setEnv + [
                    F.image, "--exec=/bin/redis", "--memory=256M", "--cpu=500m", "--port=80-tcp:8080",
                    "--port=6379-tcp:23456", "--user=nobody", "--group=nogroup", "--", "6379",
                ])
        #expect(command.runPrepared == global + ["run-prepared", "--dns=1.1.1.1", "--dns-search=svc", "--net=default"])
    }
}

@Suite struct ForwardedPortsTests {
    @Test func portsComeFromTheCNIDNATChainsOnly() {
        let rules = """
            -P PREROUTING ACCEPT
            -N CNI-DN-6653d45d414a05a76eabc
            -N CNI-HOSTPORT-DNAT
            -A CNI-DN-6653d45d414a05a76eabc -s 172.16.28.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK
            -A CNI-DN-6653d45d414a05a76eabc -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.16.28.157:80
            -A CNI-DN-0995a463f01a167e090ae -p udp -m udp --dport 20001 -j DNAT --to-destination 172.16.28.9:53
            -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name" -m multiport --dports 9999 -j CNI-DN-x
            -A DOCKER -p tcp -m tcp --dport 7777 -j DNAT --to-destination 10.0.0.2:80
            """
        #expect(ForwardedPorts.parse(rules) == [8080, 20001])
        #expect(ForwardedPorts.parse("") == [])
    }
}
