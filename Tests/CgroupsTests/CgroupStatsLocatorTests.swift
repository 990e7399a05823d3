import Cgroups
import Glibc
import Testing

@Suite struct CgroupStatsLocatorTests {
    /// This machine's shape: v1 controllers under /sys/fs/cgroup, cgroup2 at .../unified.
    static let hybridMountInfo = """
        22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

        """

    static let hybridCgroup = """
        9:name=systemd:/
        4:memory:/rkt-11112222-3333-4444-5555-666677778888
        2:cpuacct:/rkt-11112222-3333-4444-5555-666677778888
        1:cpu:/rkt-11112222-3333-4444-5555-666677778888
        0::/

        """

    @Test func hybrid() {
        let paths = CgroupLocator.resolve(cgroupFile: Self.hybridCgroup, mountInfo: Self.hybridMountInfo)
        let pod = "rkt-11112222-3333-4444-5555-666677778888"
        #expect(
            paths
                == CgroupPaths(
                    memory: "/sys/fs/cgroup/memory/\(pod)", cpu: "/sys/fs/cgroup/cpu/\(pod)",
                    cpuacct: "/sys/fs/cgroup/cpuacct/\(pod)", unified: "/sys/fs/cgroup/unified"))
    }

    @Test func v1CoMountedCPUAndCPUAcctAtAnOddPlace() {
        // Debian/systemd style "cpu,cpuacct" co-mount, mounted somewhere other than /sys/fs/cgroup,
        // with a nested runtime cgroup (the runtime itself ran in a sub-cgroup).
        let mountInfo = """
            50 20 0:40 / /run/cg/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
            51 20 0:41 / /run/cg/mem rw - cgroup cgroup rw,memory

            """
        let cgroup = "3:cpu,cpuacct:/agent/rkt-x\n2:memory:/agent/rkt-x\n"
        let paths = CgroupLocator.resolve(cgroupFile: cgroup, mountInfo: mountInfo)
        #expect(
            paths
                == CgroupPaths(
                    memory: "/run/cg/mem/agent/rkt-x", cpu: "/run/cg/cpu,cpuacct/agent/rkt-x",
                    cpuacct: "/run/cg/cpu,cpuacct/agent/rkt-x"))
    }

    @Test func pureV2() {
        let mountInfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
        let paths = CgroupLocator.resolve(cgroupFile: "0::/system.slice/rkt-abc\n", mountInfo: mountInfo)
        #expect(paths == CgroupPaths(unified: "/sys/fs/cgroup/system.slice/rkt-abc"))
    }

    @Test func mountRootOtherThanSlash() {
        // A bind mount of a sub-tree (as inside a container): root /kubepods, path below it.
        let mountInfo = """
            60 20 0:50 /kubepods /cg/memory rw - cgroup cgroup rw,memory
            61 20 0:50 /other /cg2/memory rw - cgroup cgroup rw,memory

            """
        let paths = CgroupLocator.resolve(cgroupFile: "5:memory:/kubepods/pod1/rkt-y\n", mountInfo: mountInfo)
        #expect(paths.memory == "/cg/memory/pod1/rkt-y")

        let none = CgroupLocator.resolve(cgroupFile: "5:memory:/elsewhere\n", mountInfo: mountInfo)
        #expect(none.memory == nil)
    }

    @Test func escapedMountPointAndColonInPath() {
        let mountInfo = "70 20 0:51 / /mnt/cgroup\\040v2 rw - cgroup2 none rw\n"
        let paths = CgroupLocator.resolve(cgroupFile: "0::/a:b\n", mountInfo: mountInfo)
        #expect(paths.unified == "/mnt/cgroup v2/a:b")
    }

    @Test func parsesMembershipLines() {
        let lines = CgroupMembership.parse("4:memory:/x\n0::/\nbroken\n2:cpu,cpuacct:/y\n")
        #expect(
            lines == [
                CgroupMembership(hierarchyID: 4, controllers: ["memory"], path: "/x"),
                CgroupMembership(hierarchyID: 0, controllers: [], path: "/"),
                CgroupMembership(hierarchyID: 2, controllers: ["cpu", "cpuacct"], path: "/y"),
            ])
    }

    @Test func ownProcessResolves() throws {
        // Whatever the host layout, our own process has some cgroup directory that exists.
        let paths = try CgroupLocator().locate(pid: getpid())
        #expect(!paths.all.isEmpty)
    }
}
