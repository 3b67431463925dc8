"""``codehone demo``: the whole loop on the default model and the bundled block language.

    fetch model -> block data -> score base (grammar / free) -> LoRA -> GGUF adapter
                -> score tuned (grammar / free) -> report.html

``pipeline.py`` runs the steps (each one skipped when its output is complete, so an interrupted
demo picks up where it stopped); ``report.py`` writes the HTML/Markdown report; ``cli.py`` is the
command.
"""
