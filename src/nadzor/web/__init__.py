"""The web app: the public complaint desk, the staff workspace and the JSON API (Django)."""
