"""Execution-based evaluation: sandbox, benchmarks, pass@k, scoring, reranking, reports.

Entry points: ``score.score_samples``, ``generate.generate_samples``, ``report.write_report``,
``gen_tests.generate_tests`` + ``rerank.rerank`` (CodeT / clustering / log-probability picks);
the CLI wraps them in ``cli.eval_command`` and ``cli.report_command``. Importing this package
imports nothing heavy.
"""
