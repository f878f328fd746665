"""What several features share. Modules here import only ``models``, ``extensions`` and each other."""
