import DriverCLI
