import RktSys
