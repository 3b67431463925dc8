"""Execution-based evaluation: sandbox, benchmarks, pass@k, scoring, reports.

Entry points: ``score.score_samples``, ``generate.generate_samples``, ``report.write_report``;
the CLI wraps them in ``cli.eval_command`` and ``cli.report_command``. Importing this package
imports nothing heavy.
"""
