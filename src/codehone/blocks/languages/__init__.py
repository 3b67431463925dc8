"""The copilot's languages (issue 19): which language a text is in (:mod:`~codehone.blocks.languages.detect`),
which language a program's texts should be in (:mod:`~codehone.blocks.languages.target`), and the
kind answers to requests it cannot use (:mod:`~codehone.blocks.languages.screen`). Offline, word
lists and character tests only, no model."""
