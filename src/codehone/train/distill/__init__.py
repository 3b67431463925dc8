"""``codehone distill``: a bigger teacher taught to a LoRA adapter on the student.

Two modes, both ending in the ordinary training loop (train/lora.py) and writing its outputs
(adapter/, checkpoints/, train_log.jsonl, report), plus the teacher's cache in ``RUN/teacher/``:

    token     the student learns the teacher's next-token distributions (KL, top-k + tail),
              optionally on its own samples (GKD); a ``start.LossHook``; needs a shared tokenizer
    sequence  the teacher rewrites the data's answers, checked; the student trains on them

    config.py  DistillConfig and build_configs: one preset + key=value list for both configs
    kl.py      the top-k + tail KL maths (teacher_topk, topk_kl, mean_kl)
    cache.py   the teacher's top-k per training example, on disk in shards (TeacherCache)
    loss.py    TokenDistillLoss: the loss hook, on-policy (GKD) sampling, the live teacher
    seq.py     sequence-level: the teacher's checked, cached answers as a data run
    run.py     distill(): either mode, then lora.train
    cli.py     ``codehone distill`` (imports only typer at load)
"""
