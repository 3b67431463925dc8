"""The block studio: the copilot as a local web page (``codehone blocks studio``, issue 20)."""
