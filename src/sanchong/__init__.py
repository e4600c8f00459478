"""sanchong: three-layer protection against catastrophic medical costs (三重制度综合保障)."""

__version__ = "0.1.0"
