"""Scratch 3 project files (``.sb3``): the format and its schema, writing, reading."""
