import RktCLI
