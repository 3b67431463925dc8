"""The model-facing skills: prompt format, generate, explain, evaluation, training data.

One module per skill; fix, edit, next-block, tutor and safety will sit beside ``generate`` and
``explain``.
"""
