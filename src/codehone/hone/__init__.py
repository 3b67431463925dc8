"""``codehone hone PATH``: the whole loop for one repository, in one resumable command.

    data -> base model on the held-out repo benchmark -> LoRA sized to the time budget
         -> export --to gguf-lora --verify -> tuned model on the same benchmark -> report

The repository counterpart of ``codehone demo``. ``pipeline.py`` runs the steps (each skipped when
its output is complete); ``budget.py`` sizes the benchmark and the training from speeds measured
on this machine; ``train_step.py`` calibrates and runs the training to a deadline with
``deadline.py``'s guard; ``report.py`` writes report.html/report.md; ``editors.py`` the serve
command and editor settings printed at the end; ``cli.py`` is the command.
"""
