"""nadzor: oversight of military call-ups."""

__version__ = "0.1.0"
__all__ = ["__version__"]
