"""The public complaint desk: the domain (pure) and the services that store complaints."""
