/// Job JSON in the shape `nomad job run -output` prints, trimmed to a realistic subset.
enum JobFixtures {
    static let redis = """
        {
          "Job": {
            "Region": null,
            "Namespace": null,
            "ID": "example",
            "Name": "example",
            "Type": "service",
            "Priority": 50,
            "AllAtOnce": null,
            "Datacenters": ["dc1"],
            "Constraints": null,
            "Meta": {"owner": "ops"},
            "Update": null,
            "TaskGroups": [
              {
                "Name": "cache",
                "Count": 2,
                "Constraints": null,
                "RestartPolicy": {"Interval": 1800000000000, "Attempts": 2, "Delay": 15000000000, "Mode": "fail"},
                "EphemeralDisk": {"Sticky": null, "Migrate": null, "SizeMB": 300},
                "Meta": null,
                "Tasks": [
                  {
                    "Name": "redis_cache",
                    "Driver": "rkt",
                    "User": "nobody",
                    "Config": {
                      "image": "docker://redis:3.2-alpine",
                      "port_map": [{"db": "6379-tcp"}]
                    },
                    "Constraints": null,
                    "Env": {"REDIS_ADDR": "${NOMAD_ADDR_db}"},
                    "Services": [
                      {
                        "Id": "",
                        "Name": "redis-cache",
                        "Tags": ["global", "cache"],
                        "PortLabel": "db",
                        "AddressMode": "",
                        "Checks": [
                          {"Id": "", "Name": "alive", "Type": "tcp", "Command": "", "Args": null, "Path": "",
                           "Protocol": "", "PortLabel": "", "AddressMode": "", "Interval": 10000000000,
                           "Timeout": 2000000000, "InitialStatus": "", "TLSSkipVerify": false}
                        ]
                      }
                    ],
                    "Resources": {
                      "CPU": 500, "MemoryMB": 256, "DiskMB": null, "IOPS": null,
                      "Networks": [
                        {"Device": "", "CIDR": "", "IP": "", "MBits": 10,
                         "ReservedPorts": [{"Label": "admin", "Value": 8080}],
                         "DynamicPorts": [{"Label": "db", "Value": 0}]}
                      ]
                    },
                    "Meta": null,
                    "KillTimeout": 10000000000,
                    "LogConfig": {"MaxFiles": 3, "MaxFileSizeMB": 5},
                    "Artifacts": null,
                    "Vault": null,
                    "Templates": null,
                    "DispatchPayload": null,
                    "Leader": false
                  }
                ]
              }
            ],
            "VaultToken": "",
            "Status": null
          }
        }
        """
}
