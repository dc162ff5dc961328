"""ikimina: the composition root that wires the layers (settings, app factory, CLI)."""
