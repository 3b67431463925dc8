"""``codehone serve``: the model behind an HTTP server, for editors and OpenAI clients.

    app.py          routes, errors, auth (create_app)
    schemas.py      request bodies (pydantic) and the OpenAI-style error
    formats.py      response bodies and stream chunks (OpenAI, llama.cpp)
    runner.py       the served models, and one request's run on the worker thread
    queue.py        one generation at a time, a bounded wait, cancellation
    prompts.py      editor context (input_extra) and default token limits
    postprocess.py  editor-style clean-up of infill suggestions
    metrics.py      Prometheus text format
    limits.py       what a request may cost before the queue: body size and time, prompt size
    server.py       uvicorn's protocol with a request-head deadline (slowloris), and its config
    hostile.py      malformed and hostile requests for the fuzz benchmark and tests
    cli.py          the command (typer); imports only typer at load

Nothing heavy is imported here, so ``codehone --help`` stays instant.
"""
