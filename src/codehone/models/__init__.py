"""Models: the offline catalogue, fetching, references, GGUF facts, conversion to torch weights."""


def load_tokenizer(ref: str):
    """The Hugging Face tokenizer of a model reference (see convert.load_tokenizer)."""
    from codehone.models.convert import load_tokenizer as _load

    return _load(ref)
