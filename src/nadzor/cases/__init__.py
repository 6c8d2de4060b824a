"""Cases: the domain (pure) and the services that store and work cases."""
