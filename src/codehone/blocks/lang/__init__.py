"""The block language: catalogue, nodes, text language (tokens, parser, printer), grammar, stream."""
